#!/usr/bin/env bash
# Builds the Debian package (cpack -G DEB) from BUILD_DIR, installs it with apt-get, checks what
# it installed (binary, unit, user, /etc/parley), starts the installed binary as the parley user
# with the packaged configuration on a free loopback port until /ready answers, stops it by PID,
# and removes the package. Needs root (installing packages): skipped (77) otherwise, and when a
# parley package is already installed (an operator's, not to be replaced by a test).
set -euo pipefail
build_dir=$1
[ "$(id -u)" -eq 0 ] || { echo "SKIP: installing a package needs root"; exit 77; }
if dpkg-query -W -f='${Status}' parley 2>/dev/null | grep -q "install ok installed"; then
  echo "SKIP: a parley package is installed already; not replacing it"; exit 77
fi
work=$(mktemp -d)
pid=
user_existed=false
getent passwd parley >/dev/null && user_existed=true   # someone's own parley user: kept
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq parley >/dev/null 2>&1 || true
  if [ "$user_existed" = false ] && getent passwd parley >/dev/null; then
    deluser --system parley >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$build_dir" && cpack -G DEB -B "$work" >/dev/null)
deb=$(ls "$work"/parley_*.deb)
# parley links hiredis (--redis): the package must pull its library in.
dpkg-deb -f "$deb" Depends | grep -q 'libhiredis0.14'
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >/dev/null

/usr/bin/parley --version | grep -q '^parley '
test -f /lib/systemd/system/parley.service -o -f /usr/lib/systemd/system/parley.service
getent passwd parley >/dev/null
[ "$(stat -c '%G %a' /etc/parley/parley.toml)" = "parley 640" ]
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify /usr/lib/systemd/system/parley.service
fi

# The installed binary, as the parley user, with the packaged configuration (on a free port).
port_file=$work/port
chmod 0777 "$work"
setpriv --reuid parley --regid parley --init-groups /usr/bin/parley --config /etc/parley/parley.toml --listen 127.0.0.1:0 --media-port 0 \
  --port-file "$port_file" --log-level warn &
pid=$!
for _ in $(seq 1 200); do [ -s "$port_file" ] && break; sleep 0.05; done
port=$(cat "$port_file")
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
head -n 1 <&3 | grep -q '^HTTP/1.1 200'
exec 3<&-
kill "$pid"; wait "$pid"; pid=
echo "installed, started as parley, /ready 200, stopped cleanly"
