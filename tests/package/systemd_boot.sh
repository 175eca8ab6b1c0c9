#!/usr/bin/env bash
# Run by systemd_test.sh as PID 1 of new PID, mount and cgroup namespaces: gives systemd a
# world of its own, then becomes it. Everything mounted here vanishes with the namespace.
#   UNITS_DIR: the only units this systemd sees (SYSTEMD_UNIT_PATH), copied into its own /run.
set -euo pipefail
units=$1
# Its own /run (where systemctl finds it), and its own /tmp, /var/tmp and journal: a systemd
# that starts tmpfiles or journald must not touch the host's.
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /run/parley-test
cp -r "$units" /run/parley-test/units
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=1777 tmpfs /var/tmp
if [ -d /var/log/journal ]; then mount -t tmpfs tmpfs /var/log/journal; fi
# The cgroup namespace's own unified hierarchy: systemd manages it as if it were the machine's.
umount -l /sys/fs/cgroup 2>/dev/null || true
mount -t cgroup2 cgroup2 /sys/fs/cgroup
exec env container=parley-test SYSTEMD_UNIT_PATH=/run/parley-test/units \
  /lib/systemd/systemd --unit=parley-test.target --log-target=null
