#!/usr/bin/env bash
# The Debian package's unit (packaging/parley.service, with all its sandboxing) run by systemd
# itself: builds and installs the package, boots systemd 252+ as PID 1 of new PID, mount and
# cgroup namespaces (systemd_boot.sh: its own /run, /tmp and journal, and only the units this
# test gives it), edits /etc/parley/parley.toml as an operator would (a free port, a drain),
# then `systemctl start parley` and checks that
#   - /health and /ready answer, and a WebSocket join works (ws_join.mjs),
#   - the media addresses it announces include this machine's own (not only 127.0.0.1),
#   - `systemctl stop` drains: /ready says 503 while the WebSocket stays open, then the
#     WebSocket is closed with 1001 and the unit ends cleanly (Result=success, status 0),
#   - with io-uring = true it holds its connections in io_uring rings (the unit's
#     SystemCallFilter lets io_uring_setup through), and with AF_NETLINK taken away from the
#     unit it still announces the machine's (primary) addresses.
# Prints `systemd-analyze security` for the unit. Everything it starts is killed by PID; the
# namespaces (and their mounts) end with their last process. Needs root, systemd and node:
# skipped (77) otherwise, and when a parley package is installed already.
set -euo pipefail
build_dir=$1
here=$(cd "$(dirname "$0")" && pwd)
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "installing a package and booting systemd need root"
[ -x /lib/systemd/systemd ] || skip "no systemd here"
command -v node >/dev/null || skip "no node (the WebSocket client)"
if dpkg-query -W -f='${Status}' parley 2>/dev/null | grep -q "install ok installed"; then
  skip "a parley package is installed already; not replacing it"
fi
if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
  cgroup_root=/sys/fs/cgroup
elif [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
  cgroup_root=/sys/fs/cgroup/unified
else
  skip "no cgroup2 hierarchy for systemd to manage"
fi

work=$(mktemp -d)
cgroup=$cgroup_root/parley-systemd-test-$$
unshare_pid=
init_pid=
client_pid=
user_existed=false
getent passwd parley >/dev/null && user_existed=true
cleanup() {
  set +e
  [ -n "$client_pid" ] && kill "$client_pid" 2>/dev/null
  # systemd is PID 1 of its namespace: killing it ends every process in there.
  [ -n "$init_pid" ] && kill -KILL "$init_pid" 2>/dev/null
  [ -n "$unshare_pid" ] && wait "$unshare_pid" 2>/dev/null
  if [ -d "$cgroup" ]; then
    for _ in $(seq 1 100); do
      find "$cgroup" -depth -type d -exec rmdir {} + 2>/dev/null
      [ -d "$cgroup" ] || break
      sleep 0.05
    done
  fi
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq parley >/dev/null 2>&1
  if [ "$user_existed" = false ] && getent passwd parley >/dev/null; then
    deluser --system parley >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$build_dir" && cpack -G DEB -B "$work" >/dev/null)
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$(ls "$work"/parley_*.deb)" >/dev/null

# A free loopback port for the configuration, as an operator would pick one.
port=
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 30000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || { echo "no free port"; exit 1; }
configure() {  # io-uring: true or false
  sed -i -e "s|^listen = .*|listen = \"127.0.0.1:$port\"|" -e 's|^drain-seconds = .*|drain-seconds = 2|' \
    -e '/^# test:/,$d' /etc/parley/parley.toml
  printf '# test: a port of its own, and the server picks its media port\nmedia-port = 0\nio-uring = %s\n' \
    "$1" >>/etc/parley/parley.toml
}
configure false

# The units systemd sees: the package's own, journald, and empty targets for what a service's
# default dependencies name (so nothing else of this machine's is started).
units=$work/units
mkdir -p "$units"
cp /lib/systemd/system/parley.service "$units/"
for unit in systemd-journald.service systemd-journald.socket systemd-journald-dev-log.socket; do
  cp "/lib/systemd/system/$unit" "$units/"
done
for target in sysinit basic sockets paths timers slices local-fs network network-online \
              multi-user shutdown; do
  printf '[Unit]\nDescription=%s (empty in this test)\n' "$target" >"$units/$target.target"
done
printf '[Unit]\nDescription=System Slice\nDefaultDependencies=no\n' >"$units/system.slice"
printf '[Unit]\nDescription=Parley systemd test\nRequires=systemd-journald.socket\nAfter=systemd-journald.socket\n' \
  >"$units/parley-test.target"

mkdir "$cgroup"
( echo "$BASHPID" >"$cgroup/cgroup.procs"
  exec unshare --pid --mount --cgroup --fork --mount-proc --propagation private \
    "$here/systemd_boot.sh" "$units" ) </dev/null >"$work/boot.log" 2>&1 &
unshare_pid=$!
for _ in $(seq 1 100); do
  init_pid=$(cat "/proc/$unshare_pid/task/$unshare_pid/children" 2>/dev/null | awk '{print $1}')
  [ -n "$init_pid" ] && break
  sleep 0.05
done
[ -n "$init_pid" ] || { cat "$work/boot.log"; echo "systemd did not start"; exit 1; }
inside() { timeout 20 nsenter -t "$init_pid" -m -p "$@"; }
for _ in $(seq 1 200); do
  state=$(inside systemctl is-system-running 2>/dev/null) || true
  [ "$state" = running ] && break
  sleep 0.05
done
[ "$state" = running ] || { cat "$work/boot.log"; inside systemctl --failed --no-pager; echo "systemd: $state"; exit 1; }

http_status() {  # PATH → the status code, or nothing when refused
  (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$1" >&3 &&
    head -n 1 <&3 | awk '{print $2}') 2>/dev/null || true
}
until_status() {  # PATH STATUS: polls (10 s at most)
  for _ in $(seq 1 200); do [ "$(http_status "$1")" = "$2" ] && return 0; sleep 0.05; done
  echo "$1 never answered $2"; return 1
}
fail_with_journal() { inside journalctl -u parley -o cat --no-pager | tail -n 30; echo "FAILED: $*"; exit 1; }

start_and_join() {  # ROOM: starts the unit, checks the probes, joins ROOM (client left open)
  inside systemctl start parley || fail_with_journal "systemctl start"
  until_status /ready 200 || fail_with_journal "/ready"
  [ "$(http_status /health)" = 200 ] || fail_with_journal "/health"
  node "$here/ws_join.mjs" "$port" "$1" >"$work/client.log" 2>&1 &
  client_pid=$!
  for _ in $(seq 1 200); do grep -q '^joined' "$work/client.log" && break; sleep 0.05; done
  grep -q '^joined' "$work/client.log" || { cat "$work/client.log"; fail_with_journal "join"; }
}
stop_with_drain() {
  inside systemctl stop --no-block parley
  until_status /ready 503 || fail_with_journal "no drain"
  kill -0 "$client_pid" 2>/dev/null || fail_with_journal "the call ended before the drain did"
  wait "$client_pid" || true
  client_pid=
  grep -q '^close 1001$' "$work/client.log" || { cat "$work/client.log"; fail_with_journal "not closed with 1001"; }
  for _ in $(seq 1 200); do
    [ "$(inside systemctl show -p ActiveState --value parley)" = inactive ] && break
    sleep 0.05
  done
  shown=$(inside systemctl show -p ActiveState -p Result -p ExecMainStatus parley | sort | tr '\n' ' ')
  [ "$shown" = "ActiveState=inactive ExecMainStatus=0 Result=success " ] || fail_with_journal "ended as: $shown"
}

check_announced() {  # what browsers are told to reach (its SDP candidates): every up IPv4 address
  announced=$(inside journalctl -u parley -o cat --no-pager | grep -o 'announced as [0-9.,]*' | tail -n 1)
  for address in $(ip -4 -o addr show up | awk '{split($4, a, "/"); print a[1]}'); do
    case ",${announced#announced as }," in
      *",$address,"*) ;;
      *) fail_with_journal "$address not announced ($announced)" ;;
    esac
  done
}

start_and_join systemd-test
check_announced
stop_with_drain
systemd-analyze security --offline=true /lib/systemd/system/parley.service 2>/dev/null | tail -n 1
echo "systemd: started, /health and /ready 200, joined, $announced, drained (503, then 1001), ended cleanly"

if [ "$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)" != 0 ]; then
  echo "systemd: io_uring is disabled on this machine (kernel.io_uring_disabled): not tried"
  exit 0
fi
configure true
# And under a stricter unit an operator might write, without AF_NETLINK (getifaddrs fails; the
# primary addresses come from SIOCGIFCONF: this machine has one per interface).
inside mkdir -p /run/parley-test/units/parley.service.d
printf '[Service]\nRestrictAddressFamilies=\nRestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX\n' |
  inside tee /run/parley-test/units/parley.service.d/no-netlink.conf >/dev/null
inside systemctl daemon-reload
families=$(inside systemctl show -p RestrictAddressFamilies --value parley)
case " $families " in *AF_NETLINK*|"  ") fail_with_journal "the drop-in did not take: $families" ;; esac
start_and_join systemd-uring
check_announced
metrics=$(exec 3<>"/dev/tcp/127.0.0.1/$port"; printf 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3; cat <&3)
rings=$(printf '%s\n' "$metrics" | awk '$1 == "parley_io_uring_rings" {print $2}')
[ "${rings:-0}" -ge 1 ] || fail_with_journal "io-uring = true gave no ring ($rings)"
stop_with_drain
echo "systemd: io-uring = true runs in io_uring rings ($rings) under the unit's SystemCallFilter;"
echo "        without AF_NETLINK, $announced"

