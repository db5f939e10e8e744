#!/usr/bin/env bash
# The package test CI runs (issue 16 item 3): installs the vxswitch .deb on this machine with dpkg, starts the daemon
# as vxswitch.service would, checks it, stops it, and purges the package, leaving the machine as it was.
#
#   scripts/test-package.sh [--jar PATH] [DEB]      as root
#
#   DEB         the package to test; without it one is built (scripts/package-deb.sh --xz-level 1 [--jar PATH])
#
# "As the unit would", without systemd as PID 1 (none on CI machines): the installed unit's own lines are read and
# applied: ExecStart and ExecReload; CapabilityBoundingSet and NoNewPrivileges (setpriv); ProtectSystem=full with
# ReadWritePaths, ProtectHome=read-only and ProtectKernelTunables (read-only bind mounts); RuntimeDirectory with its
# mode; UMask; an environment as bare as systemd's; and $NOTIFY_SOCKET naming a datagram socket this script reads,
# which accepts only the main process, as NotifyAccess=main does. Not applied: DevicePolicy (a cgroup), the seccomp
# lines (RestrictAddressFamilies, RestrictNamespaces, SystemCallArchitectures, ...), ProtectClock, ProtectHostname,
# ProtectKernelModules/Logs, ProtectProc. The daemon gets a network namespace and a /run of its own: what it
# creates is gone with it, and another vxswitch's /run/vxswitch/api.token is never touched.
#
# Checks: systemd-analyze verify on the installed unit; READY=1 with a STATUS from the main process, and the API
# answering at that moment (vxswitch ports, curl); a tap and a vhost-user port added at run time (capabilities, the
# drop-in in /etc/vxswitch, the socket in /run/vxswitch); ExecReload; SIGTERM giving STOPPING=1 and an exit status
# the unit counts as clean; dpkg --purge leaving nothing behind.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
jar_args=()
deb=""
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar_args=(--jar "${2:?--jar needs a path}"); shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
    -*) echo "test-package.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) deb=$1; shift ;;
  esac
done

say() { echo "== test-package: $*"; }
# A child that exited stays a zombie until waited for, and kill -0 still reaches a zombie: ask ps for its state.
running() { local state; state=$(ps -o stat= -p "$1" 2>/dev/null) && [[ "$state" != Z* ]]; }
fail() { echo "test-package.sh: FAILED: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "needs root: it installs a package and makes namespaces"
py=/usr/bin/python3 # Debian's: a pyenv python3 on PATH may lack nothing, but this one is always there with CI's packages
for tool in dpkg dpkg-deb unshare setpriv nsenter curl ip "$py"; do
  command -v "$tool" >/dev/null || fail "'$tool' is missing (.ci/run installs what is needed)"
done

# Never test over somebody's vxswitch: the purge at the end would take it away.
if dpkg-query -W -f='${db:Status-Status}' vxswitch 2>/dev/null | grep -qv '^not-installed$'; then
  fail "a vxswitch package is already on this machine ($(dpkg-query -W -f='${Version} ${db:Status-Status}' vxswitch)); this test installs and purges one: remove it first"
fi
for p in /usr/lib/vxswitch /usr/bin/vxswitch /lib/systemd/system/vxswitch.service /etc/vxswitch; do
  [ ! -e "$p" ] || fail "$p exists but no vxswitch package owns it; this test would install over it and purge it"
done
run_before=$( [ -d /run/vxswitch ] && stat -c %a /run/vxswitch || echo none)

tmp=$(mktemp -d /tmp/vxswitch-pkgtest.XXXXXX)
installed=0
daemon=""
listener=""
cleanup() {
  local rc=$?
  if [ -n "$daemon" ]; then kill -KILL "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; fi # reaped quietly
  [ -z "$listener" ] || kill "$listener" 2>/dev/null || true
  if [ "$installed" = 1 ]; then
    dpkg --purge vxswitch >/dev/null 2>&1 || echo "test-package.sh: dpkg --purge vxswitch failed: remove it by hand" >&2
  fi
  # postrm removes an empty /run/vxswitch; put back one that was there before
  if [ "$run_before" != none ] && [ ! -d /run/vxswitch ]; then mkdir -m "$run_before" /run/vxswitch; fi
  if [ $rc != 0 ] && [ -f "$tmp/daemon.log" ]; then
    echo "----- the daemon's output" >&2; tail -40 "$tmp/daemon.log" >&2
    echo "----- notifications" >&2; cat "$tmp/notify.log" >&2 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ -z "$deb" ]; then
  deb=$("$root/scripts/package-deb.sh" "${jar_args[@]}" --xz-level 1 --out "$tmp" | tail -1)
fi
[ -f "$deb" ] || fail "no package at $deb"
deb_bytes=$(stat -c %s "$deb")

# -- the package's contents
contents=$(dpkg-deb -c "$deb")
for f in ./usr/lib/vxswitch/runtime/bin/java ./usr/lib/vxswitch/vxswitch.jar ./usr/bin/vxswitch \
  ./lib/systemd/system/vxswitch.service ./etc/vxswitch/vxswitch.yaml; do
  grep -q " $f\$" <<<"$contents" || fail "the package has no $f"
done
[ "$(dpkg-deb -f "$deb" Package)" = vxswitch ] || fail "the package is not called vxswitch"
dpkg-deb -I "$deb" conffiles | grep -qx /etc/vxswitch/vxswitch.yaml || fail "/etc/vxswitch/vxswitch.yaml is not a conffile"
say "$(basename "$deb"): $((deb_bytes / 1024 / 1024)) MiB, installed $(( $(dpkg-deb -f "$deb" Installed-Size) / 1024 )) MiB"

# -- install: without systemd running, the maintainer scripts must start and enable nothing
dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; fail "dpkg -i"; }
installed=1
[ ! -e /etc/systemd/system/multi-user.target.wants/vxswitch.service ] \
  || fail "postinst enabled the unit although systemd is not running"
for exe in /proc/[0-9]*/exe; do
  [ "$(readlink "$exe" 2>/dev/null)" != /usr/lib/vxswitch/runtime/bin/java ] || fail "installing started a JVM ($exe)"
done
version=$(env -i PATH=/usr/bin:/bin /usr/bin/vxswitch --version)
say "installed; $version (no JDK on the PATH: the packaged runtime)"

unit=/lib/systemd/system/vxswitch.service
if command -v systemd-analyze >/dev/null; then
  # offline: it loads the unit as systemd would and checks every line and the ExecStart binary
  systemd-analyze verify "$unit" >"$tmp/verify.log" 2>&1 || { cat "$tmp/verify.log" >&2; fail "systemd-analyze verify $unit"; }
  say "systemd-analyze verify: clean"
else
  say "systemd-analyze is not installed: the unit's syntax is not verified"
fi

# -- the unit's lines
value() { sed -n "s/^$1=//p" "$unit" | tail -1; }
read -r -a exec_start <<<"$(value ExecStart)"
read -r -a exec_reload <<<"$(value ExecReload)"
[ "$(value Type)" = notify ] || fail "the unit is not Type=notify"
[ "$(value ProtectSystem)" = full ] || fail "this test emulates ProtectSystem=full, the unit has '$(value ProtectSystem)'"
[ "$(value ProtectHome)" = read-only ] || fail "this test emulates ProtectHome=read-only, the unit has '$(value ProtectHome)'"
caps=-all
for c in $(value CapabilityBoundingSet); do caps="$caps,+$(tr 'A-Z' 'a-z' <<<"${c#CAP_}")"; done
runtime_dir=$(value RuntimeDirectory)
runtime_mode=$(value RuntimeDirectoryMode)
start_timeout=$(value TimeoutStartSec); start_timeout=${start_timeout%s}
stop_timeout=$(value TimeoutStopSec); stop_timeout=${stop_timeout%s}
clean_exits=" 0 $(value SuccessExitStatus) "

# -- systemd's side of Type=notify: a datagram socket, each message logged with its sender's process id
cat >"$tmp/listen.py" <<'PY'
import socket, struct, sys, time
path, log = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)  # the kernel attaches the sender's pid, as systemd asks
s.bind(path)
with open(log, "a", buffering=1) as out:
    print("listening", file=out)
    while True:
        data, ancillary, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
        pid = [struct.unpack("iII", d[:12])[0] for (level, kind, d) in ancillary
               if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS]
        print("%.3f pid=%s %s" % (time.time(), pid[0] if pid else "?", data.decode().replace("\n", " | ")), file=out)
PY
"$py" "$tmp/listen.py" "$tmp/notify" "$tmp/notify.log" &
listener=$!
for _ in $(seq 50); do grep -q listening "$tmp/notify.log" 2>/dev/null && break; sleep 0.1; done
[ -S "$tmp/notify" ] || fail "the notification listener did not start"

# -- the service's sandbox, then the unit's ExecStart with systemd's bare environment
cat >"$tmp/sandbox.sh" <<'SH'
set -e
ip link set lo up                                       # the API listens on 127.0.0.1 in this network namespace
mount -t tmpfs -o mode=0755,size=16m vxswitch-pkgtest /run   # a /run of its own
mkdir -m "$RUNTIME_MODE" "/run/$RUNTIME_DIR"            # RuntimeDirectory=, RuntimeDirectoryMode=
for p in $READ_WRITE; do mount --bind "$p" "$p"; done  # ReadWritePaths= stays writable inside the read-only /etc
for p in /usr /boot /efi /etc; do                       # ProtectSystem=full
  if [ -d "$p" ] && [ ! -L "$p" ]; then mount --rbind "$p" "$p"; mount -o remount,bind,ro "$p"; fi
done
for p in /home /root; do                                # ProtectHome=read-only
  if [ -d "$p" ]; then mount --rbind "$p" "$p"; mount -o remount,bind,ro "$p"; fi
done
mount --bind /proc/sys /proc/sys; mount -o remount,bind,ro /proc/sys   # ProtectKernelTunables=yes
mount --rbind /sys /sys; mount -o remount,bind,ro /sys
umask "$UNIT_UMASK"
exec setpriv --bounding-set "$CAPS" $NO_NEW_PRIVS env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  LANG=C.UTF-8 NOTIFY_SOCKET="$NOTIFY" RUNTIME_DIRECTORY="/run/$RUNTIME_DIR" "$@"
SH
no_new_privs=""
[ "$(value NoNewPrivileges)" != yes ] || no_new_privs=--no-new-privs
say "starting: ${exec_start[*]} (capabilities ${caps#-all,}; NOTIFY_SOCKET=$tmp/notify)"
t0=$(date +%s.%N)
env RUNTIME_DIR="$runtime_dir" RUNTIME_MODE="${runtime_mode:-0755}" READ_WRITE="$(value ReadWritePaths)" \
  UNIT_UMASK="$(value UMask)" CAPS="$caps" NO_NEW_PRIVS="$no_new_privs" NOTIFY="$tmp/notify" \
  unshare --mount --net --propagation private -- /bin/sh "$tmp/sandbox.sh" "${exec_start[@]}" >"$tmp/daemon.log" 2>&1 &
daemon=$! # unshare, sh, setpriv, env and the launcher all exec: this is the JVM's pid, the unit's main process

# -- READY=1 from the main process, the API answering right then
deadline=$(( $(date +%s) + ${start_timeout:-60} ))
until grep -q 'READY=1' "$tmp/notify.log"; do
  running "$daemon" || fail "the daemon exited before READY=1"
  [ "$(date +%s)" -lt "$deadline" ] || fail "no READY=1 within TimeoutStartSec (${start_timeout:-60} s)"
  sleep 0.05
done
ready_line=$(grep 'READY=1' "$tmp/notify.log" | head -1)
ready_s=$(awk -v t0="$t0" '{printf "%.1f", $1 - t0}' <<<"$ready_line")
[ "$(sed 's/^[^ ]* pid=\([^ ]*\).*/\1/' <<<"$ready_line")" = "$daemon" ] \
  || fail "READY=1 came from another process than the main one ($daemon): $ready_line"
grep -q 'STATUS=switch vxswitch: 0 ports, API on 127.0.0.1:7739' <<<"$ready_line" || fail "READY=1 without the expected STATUS: $ready_line"
[ "$(readlink "/proc/$daemon/exe")" = /usr/lib/vxswitch/runtime/bin/java ] || fail "the main process is not the packaged runtime's java"
inside() { nsenter -t "$daemon" -m -n -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
inside /usr/bin/vxswitch ports >"$tmp/ports.txt" || fail "vxswitch ports did not answer at READY=1"
say "READY=1 after $ready_s s from the main process: ${ready_line#*| }; vxswitch ports answers"

# the sandbox holds: as many capabilities as the unit lists, no new privileges, /etc and /usr read-only
status_of() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$daemon/status"; }
bnd=$((16#$(status_of CapBnd))); bits=0
while [ "$bnd" != 0 ]; do bits=$((bits + (bnd & 1))); bnd=$((bnd >> 1)); done
[ "$bits" = "$(wc -w <<<"$(value CapabilityBoundingSet)")" ] || fail "the daemon's bounding set has $bits capabilities"
[ "$(status_of CapEff)" = "$(status_of CapBnd)" ] || fail "the daemon's effective capabilities are not its bounding set"
[ -z "$no_new_privs" ] || [ "$(status_of NoNewPrivs)" = 1 ] || fail "the daemon may gain privileges (NoNewPrivs 0)"
for p in /etc /usr; do
  if inside touch "$p/.vxswitch-pkgtest" 2>/dev/null; then rm -f "$p/.vxswitch-pkgtest"; fail "$p is writable in the sandbox"; fi
done
say "the sandbox holds: $bits capabilities, NoNewPrivs $(status_of NoNewPrivs), /etc and /usr read-only"

token=$(inside cat "/run/$runtime_dir/api.token")
[ "$(inside stat -c %a "/run/$runtime_dir/api.token")" = 600 ] || fail "the token file is not 0600"
api() { inside curl -sS --fail-with-body -H "Authorization: Bearer $token" "$@"; }
api http://127.0.0.1:7739/api/v1/switch | grep -q '"name" *: *"vxswitch"' || fail "GET /api/v1/switch"

# -- ports at run time: a tap needs CAP_NET_ADMIN, the drop-in needs /etc/vxswitch writable, a vhost-user server
#    socket needs /run/vxswitch
inside /usr/bin/vxswitch ports add t1 --type tap --port-group vms --mac 02:00:00:00:00:01 >/dev/null \
  || fail "vxswitch ports add (a tap)"
inside ip link show t1 >/dev/null || fail "no tap t1 after ports add"
inside /usr/bin/vxswitch ports add vm1 --type vhostuser --socket "/run/$runtime_dir/vm1.sock" --port-group vms \
  --mac 02:00:00:00:00:02 >/dev/null || fail "vxswitch ports add (a vhost-user port)"
inside test -S "/run/$runtime_dir/vm1.sock" || fail "no vhost-user socket /run/$runtime_dir/vm1.sock"
dropin=/etc/vxswitch/vxswitch.d/ports.yaml
grep -q 't1' "$dropin" && grep -q 'vm1' "$dropin" || fail "$dropin does not keep both ports"
[ "$(stat -c %a "$dropin")" = 600 ] || fail "$dropin is not 0600 (UMask=$(value UMask))"
inside "${exec_reload[@]}" >"$tmp/reload.txt" || fail "ExecReload (${exec_reload[*]})"
inside /usr/bin/vxswitch ports | grep -q '^vm1 ' || fail "vxswitch ports does not list vm1"
say "a tap and a vhost-user port added (kept in $dropin), ExecReload ran"

# -- SIGTERM: STOPPING=1, then an exit the unit counts as clean
t1=$(date +%s.%N)
kill -TERM "$daemon"
deadline=$(( $(date +%s) + ${stop_timeout:-90} ))
while running "$daemon"; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "still running TimeoutStopSec (${stop_timeout:-90} s) after SIGTERM"
  sleep 0.05
done
status=0
wait "$daemon" || status=$?
daemon=""
stop_s=$(awk -v t1="$t1" -v t2="$(date +%s.%N)" 'BEGIN {printf "%.1f", t2 - t1}')
stopping=$(grep 'STOPPING=1' "$tmp/notify.log" | head -1) || fail "no STOPPING=1 after SIGTERM"
grep -q "^[^ ]* pid=$(sed 's/^[^ ]* pid=\([^ ]*\).*/\1/' <<<"$ready_line") " <<<"$stopping" || fail "STOPPING=1 from another process"
[[ "$clean_exits" == *" $status "* ]] || fail "exit status $status after SIGTERM, not one of the unit's clean ones:$clean_exits"
grep -q ' stopped$' "$tmp/daemon.log" || fail "the daemon did not say 'stopped'"
! grep -q 'Exception' "$tmp/daemon.log" || fail "an exception in the daemon's output"
say "SIGTERM: STOPPING=1, exit status $status (clean for the unit), stopped in $stop_s s"

# -- purge: nothing left
dpkg --purge vxswitch >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; fail "dpkg --purge"; }
installed=0
for p in /usr/lib/vxswitch /usr/bin/vxswitch "$unit" /etc/vxswitch; do
  [ ! -e "$p" ] || fail "$p is still there after dpkg --purge"
done
say "purged: nothing left; package $((deb_bytes / 1024 / 1024)) MiB, READY=1 after $ready_s s, stopped in $stop_s s"
