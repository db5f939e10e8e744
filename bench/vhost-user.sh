#!/usr/bin/env bash
# bench/vhost-user.sh - packets per second testpmd -> switch -> testpmd through vhost-user ports (issue 16): vxswitch's
# vhost-user ports, vxswitch's tap ports, and Open vSwitch with DPDK's vhost-user ports, measured in one run.
#
#   [testpmd A, txonly, 02:00:00:00:0b:01] ==port a==+
#                                                    +== switch ==> [testpmd B, rxonly, 02:00:00:00:0b:02]
#   (V) vxswitch, ports a and b type: vhostuser (vxswitch serves the sockets; testpmd's net_virtio_user connects)
#   (T) vxswitch, ports a and b type: tap; testpmd on the tap devices with net_af_packet (AF_PACKET, TPACKET_V2 ring)
#   (O) Open vSwitch with DPDK (Debian's openvswitch-switch-dpdk, ovs-vswitchd-dpdk called by its full path; the
#       system's ovs-vswitchd alternative is not touched), a private ovsdb-server/ovs-vswitchd in a temporary folder,
#       bridge br0 datapath_type=netdev, ports a and b type=dpdkvhostuserclient (testpmd serves the sockets, server=1)
#
# Per round (ROUNDS), the switches in SWITCHES order (V T O V T O ...), each started once per round and measured with
# every frame size in SIZES: testpmd B starts (rxonly), then testpmd A (txonly, --txpkts=SIZE: SIZE bytes from the
# destination MAC to the end of the payload, no FCS; UDP, one flow, --eth-peer B's MAC). Once B has received a frame,
# WARM s of warm-up, then SECS s measured:
#   rx pps   B's mean Rx-pps over the window (testpmd's own per-second figures, --stats-period 1, from the TSC)
#   tx pps   A's mean Tx-pps: frames A's driver put into its ring (the rest A counts as dropped)
#   fwd pps  what the switch itself counts out of port b over the window, per second
#   drops %  the switch's own drop counters' increase over the window, as a share of (frames out of port b + drops):
#            vxswitch's GET /api/v1/stats (every drop reason of both ports), OVS's Interface statistics of both ports
#            (rx_dropped, tx_dropped, rx_errors, tx_errors; tx_dropped includes ovs_tx_failure_drops, a full guest
#            ring); the reasons are listed beside each row. ovs-vswitchd writes its statistics to its database every
#            5 s (stats-update-interval), so OVS's fwd pps and drops over a short window are off by up to one update
#   steal %  the CPU time the hypervisor took from each CPU over the phase (/proc/stat): a phase that lost much is slow
#
# Unicast, no flooding: vxswitch's ports have `mac:` (the vNIC's MAC, which the switch looks up before anything
# learned); OVS's br0 keeps the NORMAL action with B's MAC entered as a static MAC table entry (ovs-appctl fdb/add)
# before traffic, or, where that command is missing, an OpenFlow rule dl_dst=B -> b. The table says which.
#
# CPUs: this script is for a 2-vCPU machine (it runs on more; the pinning stays on CPUs 0 and 1). The switch's
# forwarding thread has CPU 1 to itself: vxswitch with `switch: {threads: 1, cpu: 1}` (one loop that reads, decides
# and writes; the JVM's other threads moved to CPU 0; it sleeps in epoll_wait when idle, which under this load it
# never is: see VX_OPTS and busy polling below), OVS with pmd-cpu-mask=0x2 (one PMD
# thread; ovs-vswitchd's other threads, idle but for housekeeping, may run on either CPU). Both testpmds are on CPU 0
# (--lcores 0@0,1@0: main and forwarding lcore on CPU 0), with this script and the JVM's other threads. Two busy-polling testpmds on one
# CPU get it in turns (the kernel's time slices, milliseconds), not side by side: while B is off the CPU its receive
# ring fills and the switch drops (or, in OVS, retries and drops), while A is off nothing is sent. That is the real
# limit of this machine: sender, switch and receiver each need a core. RXCPU=1 puts B on CPU 1 with the switch
# instead (then the switch and B take turns).
# TOPO=loop measures around that: one testpmd with both ports on one forwarding lcore (CPU 0) in `mac` forward mode
# with --tx-first: a first burst of BURST frames goes out on port a to B's MAC; whatever arrives on port b goes out on
# port a again (to B's MAC, from A's), so BURST frames circulate a -> switch -> b -> testpmd -> a; the burst testpmd
# also sends out of port b (to B's MAC, its own port) is dropped by every switch and dies. Two busy threads for two
# CPUs: the figure is the slower of the switch and testpmd's single lcore. rx pps is port b's Rx-pps, tx pps port a's.
# The frames in flight are only those BURST: a frame lost anywhere is lost for good, so a loop that slows down over
# the rounds is losing frames (the drops column says where).
# Busy polling: VX_OPTS="threads: 1, cpu: 1, poll: busy" runs as fast as poll: wait under this load (the loop never
# sleeps either way). It once found a lost first kick (testpmd's first frames left in its ring for good; fixed, see
# docs/benchmarks.md "vhost-user ports", Problems found); the default stays poll: wait, what most hosts run.
#
# usage: sudo bench/vhost-user.sh      env: ROUNDS=3 SECS=10 WARM=3 SIZES="64 1500" SWITCHES="V T O" TOPO=split|loop
#                                           RXCPU=0|1 (split: testpmd B's CPU) BURST=256 (loop: frames in flight)
#                                           PAGES=1024 (2 MB huge pages added for the run) OUT=DIR
#                                           VX_OPTS="threads: 1, cpu: 1" (vxswitch's switch: options)
#        short smoke test: SECS=3 WARM=1 ROUNDS=1 bench/vhost-user.sh
# needs: root, dpdk-testpmd (apt install dpdk), Open vSwitch with DPDK for O (apt install openvswitch-switch-dpdk,
#        which needs openvswitch-switch's ovsdb-server and ovs-vsctl), python3, taskset, iproute2, the jar
#        (mvn -B -o -q package -DskipTests -pl vxswitch-app -am)
# Leaves nothing behind: a network namespace vhb-<id> (the taps and OVS's bridge port live there), huge pages added to
# vm.nr_hugepages and a hugetlbfs mount in a temporary folder, both undone at exit; every process it started is
# stopped and DPDK's runtime folders (/var/run/dpdk/vhb-<id>-*) removed. Raw results stay in OUT.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/find-jdk.sh"
JAR="$root/vxswitch-app/target/vxswitch.jar"
ROUNDS=${ROUNDS:-3}
SECS=${SECS:-10}
WARM=${WARM:-3}
SIZES=${SIZES:-64 1500}
SWITCHES=${SWITCHES:-V T O}
TOPO=${TOPO:-split}
RXCPU=${RXCPU:-0}
BURST=${BURST:-256}
PAGES=${PAGES:-1024}
# no busy polling by default: what most hosts run (see the header)
VX_OPTS=${VX_OPTS:-threads: 1, cpu: 1}
OVS_VSWITCHD_DPDK=${OVS_VSWITCHD_DPDK:-/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk}
PY=${PY:-python3}
OUT=${OUT:-$(mktemp -d /tmp/vhost-user.XXXXXX)}
mkdir -p "$OUT"

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
[[ $TOPO == split || $TOPO == loop ]] || die "TOPO must be split or loop"
[[ $RXCPU == 0 || $RXCPU == 1 ]] || die "RXCPU must be 0 or 1"
[[ $BURST =~ ^[0-9]+$ && $BURST -ge 1 && $BURST -le 512 ]] || die "BURST must be 1-512 (testpmd's largest burst)"
for s in $SIZES; do [[ $s =~ ^[0-9]+$ && $s -ge 64 && $s -le 1514 ]] || die "SIZES: $s is not 64-1514"; done
for s in $SWITCHES; do [[ $s == V || $s == T || $s == O ]] || die "SWITCHES: $s is none of V T O"; done
[[ $EUID -eq 0 ]] || die "must run as root (huge pages, a network namespace, tap devices)"
for c in ip taskset mount umount stdbuf "$PY"; do command -v "$c" >/dev/null || die "missing '$c'"; done
command -v dpdk-testpmd >/dev/null || die "missing dpdk-testpmd, the vhost-user peer (apt install dpdk)"
[[ -f $JAR ]] || die "no $JAR: build it first (mvn -B -o -q package -DskipTests -pl vxswitch-app -am)"
if [[ " $SWITCHES " == *" O "* ]]; then
  [[ -x $OVS_VSWITCHD_DPDK ]] || die "no $OVS_VSWITCHD_DPDK for O: apt install openvswitch-switch-dpdk (or SWITCHES=\"V T\")"
  for c in ovsdb-server ovsdb-tool ovs-vsctl ovs-appctl ovs-ofctl; do
    command -v "$c" >/dev/null || die "missing '$c' for O (apt install openvswitch-switch)"
  done
  [[ -f /usr/share/openvswitch/vswitch.ovsschema ]] || die "no /usr/share/openvswitch/vswitch.ovsschema (openvswitch-common)"
fi
(( $(nproc) >= 2 )) || die "needs 2 CPUs (switch on CPU 1, testpmd on CPU 0)"

ID=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
NS=vhb-$ID
WORK=$(mktemp -d /tmp/vhb-$ID.XXXX)   # sockets, huge page mount, OVS's database: short paths (sockets <= 107 bytes)
HUGE=$WORK/huge
OVSD=$WORK/ovs
MAC_A=02:00:00:00:0b:01 MAC_B=02:00:00:00:0b:02
NR_BEFORE=$(cat /proc/sys/vm/nr_hugepages)
HUGE_MOUNTED=0 NS_MADE=0
DAEMON_PID=
TESTPMD_PIDS=()
PREFIXES=()
CMD_FD= SHOW_PID=

ns_kill() { # every process still in the namespace, by PID: TERM, then KILL
  local p i
  for p in $(ip netns pids "$NS" 2>/dev/null || true); do kill -TERM "$p" 2>/dev/null || true; done
  for i in $(seq 1 30); do [[ -z $(ip netns pids "$NS" 2>/dev/null || true) ]] && return 0; sleep 0.1; done
  for p in $(ip netns pids "$NS" 2>/dev/null || true); do kill -KILL "$p" 2>/dev/null || true; done
}
testpmd_stop() { # SIGINT: testpmd stops forwarding and prints its forward statistics (A's drops); KILL after 5 s
  local p i
  for p in "${TESTPMD_PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  for p in "${TESTPMD_PIDS[@]}"; do
    for i in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true
  done
  TESTPMD_PIDS=()
}
ovs_stop() {
  [[ -S $OVSD/ovs-vswitchd.ctl ]] && ovs-appctl -t "$OVSD/ovs-vswitchd.ctl" exit 2>/dev/null || true
  [[ -S $OVSD/ovsdb-server.ctl ]] && ovs-appctl -t "$OVSD/ovsdb-server.ctl" exit 2>/dev/null || true
  local f p i
  for f in "$OVSD/ovs-vswitchd.pid" "$OVSD/ovsdb-server.pid"; do
    [[ -f $f ]] || continue
    p=$(cat "$f" 2>/dev/null || true); [[ -n $p ]] || continue
    for i in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null || true
  done
  return 0
}
cleanup() {
  local rc=$? p i
  trap - EXIT INT TERM
  [[ -n $SHOW_PID ]] && kill "$SHOW_PID" 2>/dev/null || true
  [[ -n $CMD_FD ]] && exec {CMD_FD}>&- || true
  testpmd_stop
  if [[ -n $DAEMON_PID ]]; then
    kill -TERM "$DAEMON_PID" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$DAEMON_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$DAEMON_PID" 2>/dev/null || true; wait "$DAEMON_PID" 2>/dev/null || true
  fi
  ovs_stop
  if [[ $NS_MADE == 1 ]]; then ns_kill; ip netns del "$NS" 2>/dev/null || true; fi
  for p in "${PREFIXES[@]}"; do rm -rf "/var/run/dpdk/$p"; done
  if [[ $HUGE_MOUNTED == 1 ]]; then umount "$HUGE" 2>/dev/null || umount -l "$HUGE" 2>/dev/null || true; fi
  sysctl -qw vm.nr_hugepages="$NR_BEFORE" || true
  [[ -d $OVSD ]] && cp -r "$OVSD" "$OUT/ovs-last" 2>/dev/null || true
  rm -rf "$WORK"
  log "cleaned up (namespace $NS, huge pages back to $NR_BEFORE, $WORK removed); raw results in $OUT"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- huge pages, a namespace
sysctl -qw vm.nr_hugepages=$((NR_BEFORE + PAGES))
free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
(( free >= PAGES )) || die "asked for $PAGES more 2 MB huge pages, $free free: not enough memory?"
mkdir -p "$HUGE"; mount -t hugetlbfs -o pagesize=2M none "$HUGE"; HUGE_MOUNTED=1
ip netns add "$NS"; NS_MADE=1
ip -n "$NS" link set lo up
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
# this script and the short commands it runs stay off the switch's CPU; the switches and testpmd start with both CPUs
# allowed (taskset -c 0,1) and place their threads themselves: vxswitch's switch.cpu, OVS's pmd-cpu-mask, EAL's --lcores
taskset -pc 0 $$ >/dev/null

# ---- testpmd
# testpmd NAME LOG VDEV... -- ARGS...: in the namespace, main and forwarding lcore on the CPUs given in LCORES
LCORES="0@0,1@0"
testpmd() {
  local name=$1 logf=$2 lcores=$3; shift 3
  local prefix=vhb-$ID-$name
  PREFIXES+=("$prefix")
  ip netns exec "$NS" taskset -c 0,1 stdbuf -oL dpdk-testpmd --lcores "$lcores" --no-pci --single-file-segments --huge-dir "$HUGE" \
    --file-prefix "$prefix" --log-level '*:warning' "$@" <"${TP_STDIN:-/dev/null}" >"$logf" 2>&1 &
  TESTPMD_PIDS+=($!)
}
# the vdev for port $1 (a or b) of switch $2, with MAC $3
vdev() {
  case $2 in
    V) echo "net_virtio_user$4,path=$WORK/$1.sock,mac=$3,queue_size=1024" ;;
    O) echo "net_virtio_user$4,path=$WORK/$1.sock,mac=$3,queue_size=1024,server=1" ;;
    T) echo "net_af_packet$4,iface=vh$1,framecnt=2048" ;;
  esac
}
APP=(--no-mlockall --total-num-mbufs=16384 --rxd=1024 --txd=1024)
start_peers() { # $1 switch, $2 size, $3 log prefix
  if [[ $TOPO == split ]]; then
    testpmd B "$3-B.log" "0@0,1@$RXCPU" --vdev "$(vdev b "$1" $MAC_B 0)" -- "${APP[@]}" --stats-period 1 \
      --port-topology=loop --forward-mode=rxonly
    sleep 0.5
    testpmd A "$3-A.log" "$LCORES" --vdev "$(vdev a "$1" $MAC_A 0)" -- "${APP[@]}" --stats-period 1 \
      --port-topology=loop --forward-mode=txonly --txpkts="$2" --eth-peer=0,$MAC_B
  else
    # interactive, its commands from a fifo: the first burst goes out only once both ports are up on the switch
    # (sent earlier, it would meet a port that is still down and be lost), and "show port stats all" once a second
    # stands in for --stats-period (which testpmd has only without -i)
    rm -f "$WORK/cmd"; mkfifo "$WORK/cmd"
    TP_STDIN=$WORK/cmd testpmd L "$3-L.log" "$LCORES" --vdev "$(vdev a "$1" $MAC_A 0)" \
      --vdev "$(vdev b "$1" $MAC_B 1)" -- "${APP[@]}" -i --port-topology=paired --forward-mode=mac \
      --eth-peer=0,$MAC_B --eth-peer=1,$MAC_B --txpkts="$2" --burst="$BURST"
    exec {CMD_FD}>"$WORK/cmd"
  fi
}
loop_go() { # after the links are up: the first burst, then the statistics once a second
  [[ $TOPO == loop ]] || return 0
  echo "start tx_first" >&$CMD_FD
  ( while sleep 1; do echo "show port stats all"; done >&$CMD_FD ) &
  SHOW_PID=$!
}
loop_end() {
  [[ $TOPO == loop ]] || return 0
  kill "$SHOW_PID" 2>/dev/null || true; wait "$SHOW_PID" 2>/dev/null || true; SHOW_PID=
  { echo "stop"; echo "quit"; } >&$CMD_FD || true
  sleep 1
  exec {CMD_FD}>&-; CMD_FD=
}
# rx_log / tx_log: the log and port number holding B's receive and A's transmit figures
rx_where() { [[ $TOPO == split ]] && echo "$1-B.log 0" || echo "$1-L.log 1"; }
tx_where() { [[ $TOPO == split ]] && echo "$1-A.log 0" || echo "$1-L.log 0"; }
# stats LOG PORT [FROM [TO]]: "blocks rx_packets_total mean_rx_pps mean_tx_pps" over the per-second blocks FROM..TO-1
stats() {
  "$PY" - "$@" <<'EOF'
import re, sys
try:
    text = open(sys.argv[1], errors="replace").read()
except OSError:
    text = ""
port = sys.argv[2]
pat = re.compile(r"NIC statistics for port (\d+)\s+#+\s+RX-packets:\s+(\d+).*?TX-packets:\s+(\d+).*?"
                 r"Rx-pps:\s+(\d+).*?Tx-pps:\s+(\d+)", re.S)
blocks = [m for m in pat.finditer(text) if m.group(1) == port]
lo = int(sys.argv[3]) if len(sys.argv) > 3 else 0
hi = int(sys.argv[4]) if len(sys.argv) > 4 else len(blocks)
w = blocks[lo:hi]
rx = [int(m.group(4)) for m in w]; tx = [int(m.group(5)) for m in w]
last = int(blocks[-1].group(2)) if blocks else 0
print(len(blocks), last, round(sum(rx) / len(rx)) if rx else "nan", round(sum(tx) / len(tx)) if tx else "nan")
EOF
}

# ---- the switches
vx_yaml() { # $1 V|T
  local t=vhostuser a b
  if [[ $1 == V ]]; then
    a="socket: \"$WORK/a.sock\", "; b="socket: \"$WORK/b.sock\", "
  else
    t=tap; a=; b=
  fi
  cat <<EOF
switch: {name: bench-vhost-$1, $VX_OPTS}
portGroups:
  - {name: lan}
ports:
  - {name: vha, type: $t, ${a}portGroup: lan, mac: "$MAC_A"}
  - {name: vhb, type: $t, ${b}portGroup: lan, mac: "$MAC_B"}
api: {tokenFile: "$WORK/api.token"}
EOF
}
up_vx() { # $1 V|T, $2 round
  vx_yaml "$1" >"$OUT/vxswitch-$1.yaml"
  local logf=$OUT/vxswitch-$1-$2.log i
  rm -f "$WORK/a.sock" "$WORK/b.sock"
  ip netns exec "$NS" taskset -c 0,1 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR" run \
    --config "$OUT/vxswitch-$1.yaml" >"$logf" 2>&1 &
  DAEMON_PID=$!
  for i in $(seq 1 150); do grep -q "management API" "$logf" && break; kill -0 $DAEMON_PID 2>/dev/null || break; sleep 0.1; done
  grep -q "management API" "$logf" || { cat "$logf" >&2; die "vxswitch ($1) did not start"; }
  [[ $2 == 1 ]] && log "vxswitch ($1): $(grep -o 'started with .*' "$logf"); $(grep -o 'switch loop on CPU.*' "$logf" || true)"
  if [[ $1 == T ]]; then
    ip -n "$NS" link set vha address $MAC_A up; ip -n "$NS" link set vhb address $MAC_B up
  fi
  return 0
}
down_vx() {
  kill -TERM "$DAEMON_PID" 2>/dev/null || true; wait "$DAEMON_PID" 2>/dev/null || true; DAEMON_PID=
}
up_V() { up_vx V "$1"; }
up_T() { up_vx T "$1"; }
down_V() { down_vx; }
down_T() { down_vx; }
# links_V / links_T / links_O: wait until both ports are up on the switch's side (after the testpmds started)
# vxswitch logs each port's "link up" once per connection: wait for one more of each than before the testpmds
LINKS_BEFORE=0
links_count() { # the fewer of the two ports' "link up" lines so far in round $1's log
  local logf=$OUT/vxswitch-V-$1.log a b
  a=$(grep -c "port vha: link up" "$logf" || true); b=$(grep -c "port vhb: link up" "$logf" || true)
  echo $(( a < b ? a : b ))
}
links_V() {
  local i
  for i in $(seq 1 200); do (( $(links_count "$1") > LINKS_BEFORE )) && return 0; sleep 0.1; done
  return 1
}
links_T() { return 0; }
# snap_S FILE: the switch's counters as "port:counter value" lines (one snapshot; diff_snaps takes the window's deltas)
snap_vx() { # vxswitch's GET /api/v1/stats (curl: a JVM for `vxswitch stats` would take CPU 0 from testpmd meanwhile)
  ip netns exec "$NS" curl -sS --fail -H "Authorization: Bearer $(cat "$WORK/api.token")" \
    http://127.0.0.1:7739/api/v1/stats >"$1.json" 2>"$1.err" || { : >"$1"; return 0; }
  "$PY" - "$1.json" >"$1" <<'EOF2'
import json, sys
for p in json.load(open(sys.argv[1])):
    if p["port"] not in ("vha", "vhb"):
        continue
    for k in ("rxFrames", "txFrames"):
        print("%s:%s %d" % (p["port"], k, p.get(k, 0)))
    for k, v in (p.get("drops") or {}).items():
        print("%s:drop_%s %d" % (p["port"], k, v))
EOF2
}
snap_V() { snap_vx "$@"; }
snap_T() { snap_vx "$@"; }

ovsctl() { OVS_RUNDIR=$OVSD ovs-vsctl --db="unix:$OVSD/db.sock" --timeout=20 "$@"; }
ovsapp() { ovs-appctl -t "$OVSD/ovs-vswitchd.ctl" "$@"; }
OVS_MAC_HOW=
up_O() { # a private ovsdb-server and ovs-vswitchd-dpdk in the namespace; PMD on CPU 1
  rm -rf "$OVSD"; mkdir -p "$OVSD"
  rm -f "$WORK/a.sock" "$WORK/b.sock"
  ovsdb-tool create "$OVSD/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  ip netns exec "$NS" env OVS_RUNDIR="$OVSD" OVS_LOGDIR="$OVSD" OVS_DBDIR="$OVSD" OVS_SYSCONFDIR="$OVSD" \
    ovsdb-server "$OVSD/conf.db" --remote="punix:$OVSD/db.sock" --pidfile="$OVSD/ovsdb-server.pid" \
    --unixctl="$OVSD/ovsdb-server.ctl" --log-file="$OVSD/ovsdb-server.log" -vconsole:off --detach
  ovsctl --no-wait init
  PREFIXES+=("vhb-$ID-ovs")
  ovsctl --no-wait set Open_vSwitch . other_config:dpdk-init=true other_config:dpdk-socket-mem=1024 \
    other_config:dpdk-socket-limit=1024 other_config:pmd-cpu-mask=0x2 \
    "other_config:dpdk-extra=\"--no-pci --huge-dir=$HUGE --file-prefix=vhb-$ID-ovs --single-file-segments\""
  ip netns exec "$NS" env OVS_RUNDIR="$OVSD" OVS_LOGDIR="$OVSD" OVS_DBDIR="$OVSD" OVS_SYSCONFDIR="$OVSD" \
    taskset -c 0,1 "$OVS_VSWITCHD_DPDK" "unix:$OVSD/db.sock" --pidfile="$OVSD/ovs-vswitchd.pid" --unixctl="$OVSD/ovs-vswitchd.ctl" \
    --log-file="$OVSD/ovs-vswitchd.log" -vconsole:off --detach \
    || { tail -30 "$OVSD/ovs-vswitchd.log" >&2; die "ovs-vswitchd-dpdk did not start"; }
  local i
  for i in $(seq 1 200); do [[ $(ovsctl get Open_vSwitch . dpdk_initialized) == true ]] && break; sleep 0.1; done
  [[ $(ovsctl get Open_vSwitch . dpdk_initialized) == true ]] \
    || { tail -30 "$OVSD/ovs-vswitchd.log" >&2; die "OVS: DPDK not initialized"; }
  ovsctl add-br br0 -- set bridge br0 datapath_type=netdev
  ovsctl add-port br0 vha -- set Interface vha type=dpdkvhostuserclient options:vhost-server-path="$WORK/a.sock"
  ovsctl add-port br0 vhb -- set Interface vhb type=dpdkvhostuserclient options:vhost-server-path="$WORK/b.sock"
  [[ $1 == 1 ]] && log "OVS: $(ovsctl get Open_vSwitch . dpdk_version) $(ovsctl get Open_vSwitch . ovs_version), pmd-cpu-mask 0x2"
  return 0
}
links_O() {
  local i
  for i in $(seq 1 200); do
    [[ $(ovsctl get Interface vha link_state 2>/dev/null) == up && $(ovsctl get Interface vhb link_state 2>/dev/null) == up ]] \
      && break
    sleep 0.1
  done
  [[ $(ovsctl get Interface vhb link_state) == up ]] || return 1
  # B's MAC on port b, before traffic: a static MAC table entry for NORMAL, else an OpenFlow rule
  ovsapp fdb/add br0 vhb 0 $MAC_B >/dev/null 2>&1 || true
  if ovsapp fdb/show br0 2>/dev/null | grep -i "$MAC_B" | grep -q static; then
    OVS_MAC_HOW="static MAC entry (fdb/add)"
  else
    OVS_RUNDIR=$OVSD ovs-ofctl add-flow br0 "priority=10,dl_dst=$MAC_B,actions=output:vhb"
    OVS_MAC_HOW="OpenFlow dl_dst rule"
  fi
  ovsapp dpif-netdev/pmd-stats-clear >/dev/null
  return 0
}
down_O() {
  ovs_stop
  local i; for i in $(seq 1 30); do [[ -z $(ip netns pids "$NS" 2>/dev/null) ]] && break; sleep 0.1; done
  ns_kill
  rm -rf "/var/run/dpdk/vhb-$ID-ovs"
}
snap_O() { # OVS's Interface statistics of both ports
  local p
  for p in vha vhb; do
    ovsctl get Interface $p statistics 2>/dev/null | tr -d '{}' | tr ',' '\n' | sed 's/^ *//; s/=/ /' \
      | awk -v p=$p 'NF == 2 && $1 !~ /^ovs_/ { print p ":" $1, $2 }'   # tx_dropped already sums the ovs_*_drops
  done >"$1"
}
# diff_snaps BEFORE AFTER SECS TX_COUNTER: "drops forwarded_pps detail": the drop and error counters' increase over
# the window (every counter whose name says drop or error), what the switch sent out of port b per second
diff_snaps() {
  "$PY" - "$@" <<'EOF2'
import sys
def load(f):
    d = {}
    try:
        for line in open(f):
            k, v = line.split()
            d[k] = int(v)
    except (OSError, ValueError):
        pass
    return d
a, b, secs, txc = load(sys.argv[1]), load(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
if not b:
    print("nan nan no_counters"); sys.exit(0)
delta = {k: v - a.get(k, 0) for k, v in b.items()}
drops = {k: v for k, v in delta.items() if ("drop" in k or "error" in k) and v}
fwd = delta.get(txc)
print(sum(drops.values()), "nan" if fwd is None else round(fwd / secs),
      ",".join("%s=%d" % kv for kv in sorted(drops.items())) or "-")
EOF2
}
steal() { awk '/^cpu[0-9]/ { t = 0; for (i = 2; i <= 9; i++) t += $i; printf "%s:%d:%d ", substr($1, 4), $9, t }' /proc/stat; }
steal_pct() {
  "$PY" -c 'import sys
a = {c: (int(s), int(t)) for c, s, t in (x.split(":") for x in sys.argv[1].split())}
b = {c: (int(s), int(t)) for c, s, t in (x.split(":") for x in sys.argv[2].split())}
print(",".join("%s:%.1f" % (c, 100.0 * (b[c][0] - a[c][0]) / max(1, b[c][1] - a[c][1])) for c in sorted(a) if c in ("0", "1")))' "$1" "$2"
}

# ---- the run
{
  echo "date:    $(date -u +%FT%TZ)"
  echo "kernel:  $(uname -r)"
  echo "cpu:     $(nproc --all) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "java:    $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "dpdk:    testpmd $(dpkg-query -W -f '${Version}' dpdk 2>/dev/null || echo '?') (Debian's dpdk)"
  [[ " $SWITCHES " == *" O "* ]] && echo "ovs:     $("$OVS_VSWITCHD_DPDK" --version | head -2 | tr '\n' ' ')"
  echo "commit:  $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- \
    '*/src/main/*' '*pom.xml' 2>/dev/null || echo ' (main code or poms changed since)')"
  echo "run:     ROUNDS=$ROUNDS SECS=$SECS WARM=$WARM SIZES=\"$SIZES\" SWITCHES=\"$SWITCHES\" TOPO=$TOPO$([[ $TOPO == loop ]] && echo " BURST=$BURST")"
  if [[ $TOPO == split ]]; then
    echo "cpus:    switch's forwarding thread alone on CPU 1 (vxswitch $VX_OPTS; OVS pmd-cpu-mask=0x2);" \
      "testpmd A (txonly) on CPU 0, testpmd B (rxonly) on CPU $RXCPU$([[ $RXCPU == 0 ]] && echo ", sharing it with A" || echo ", sharing it with the switch")"
  else
    echo "cpus:    switch's forwarding thread alone on CPU 1 (vxswitch $VX_OPTS; OVS pmd-cpu-mask=0x2);" \
      "one testpmd, both ports, one forwarding lcore on CPU 0"
  fi
  echo "loadavg: $(cut -d' ' -f1-3 /proc/loadavg) (before)"
} | tee "$OUT/env.txt" >&2

declare -A NAME=([V]="vxswitch vhost-user" [T]="vxswitch tap" [O]="OVS-DPDK vhost-user")
ROW='%-5s %-20s %5s %10s %10s %10s %8s %12s  %s\n'
printf "$ROW" round switch size "rx pps" "tx pps" "fwd pps" "drops %" "steal %" "switch drops and errors in the window" \
  | tee "$OUT/runs.txt"
for round in $(seq 1 "$ROUNDS"); do
  for s in $SWITCHES; do
    "up_$s" "$round"
    for size in $SIZES; do
      pfx=$OUT/testpmd-$s-$size-$round
      phase_steal=$(steal)
      [[ $s == V ]] && LINKS_BEFORE=$(links_count "$round")
      [[ $s == O ]] && rm -f "$WORK/a.sock" "$WORK/b.sock"   # testpmd serves them (server=1): no stale file
      start_peers "$s" "$size" "$pfx"
      if ! "links_$s" "$round"; then
        tail -n 20 "$pfx"-*.log >&2; die "$s: the switch's ports did not come up with testpmd (logs in $OUT)"
      fi
      loop_go
      read -r rxlog rxport <<<"$(rx_where "$pfx")"; read -r txlog txport <<<"$(tx_where "$pfx")"
      ok=0 deadline=$(( $(date +%s) + 30 ))
      while (( $(date +%s) < deadline )); do
        st=($(stats "$rxlog" "$rxport")); (( ${st[1]} > 0 )) && { ok=1; break; }
        for p in "${TESTPMD_PIDS[@]}"; do kill -0 "$p" 2>/dev/null || { tail -n 20 "$pfx"-*.log >&2; die "$s: testpmd exited"; }; done
        sleep 0.1
      done
      [[ $ok == 1 ]] || { tail -n 30 "$pfx"-*.log >&2; die "$s $size: testpmd B received nothing in 30 s (logs in $OUT)"; }
      sleep "$WARM"
      snap=$OUT/switch-$s-$size-$round
      "snap_$s" "$snap-before.txt"
      n0=$(stats "$rxlog" "$rxport" | cut -d' ' -f1); m0=$(stats "$txlog" "$txport" | cut -d' ' -f1)
      [[ $TOPO == loop ]] && { n0=$(( n0 < m0 ? n0 : m0 )); m0=$n0; }  # one "show" prints both ports: same blocks
      t0=$(date +%s.%N)
      sleep "$SECS"
      n1=$(stats "$rxlog" "$rxport" | cut -d' ' -f1); m1=$(stats "$txlog" "$txport" | cut -d' ' -f1)
      [[ $TOPO == loop ]] && { n1=$(( n1 < m1 ? n1 : m1 )); m1=$n1; }
      "snap_$s" "$snap-after.txt"
      t1=$(date +%s.%N)
      rx=($(stats "$rxlog" "$rxport" "$n0" "$n1")); tx=($(stats "$txlog" "$txport" "$m0" "$m1"))
      loop_end
      testpmd_stop
      [[ $s == O ]] && txc=vhb:tx_packets || txc=vhb:txFrames
      el=$(echo "$t1 - $t0" | bc -l)
      d=($(diff_snaps "$snap-before.txt" "$snap-after.txt" "$el" "$txc"))
      [[ $s == O ]] && { ovsapp fdb/show br0; ovsapp dpif-netdev/pmd-stats-show; } >"$snap-ovs.txt" 2>&1
      # the drops' share of what the switch handled in the window: drops / (frames out of port b + drops)
      pct=$("$PY" -c "import sys; d, f, s = sys.argv[1:4]; print('nan' if 'nan' in (d, f) else '%.2f' % (100.0 * int(d) / max(1, float(f) * float(s) + int(d))))" "${d[0]}" "${d[1]}" "$el")
      stolen=$(steal_pct "$phase_steal" "$(steal)")
      printf "$ROW" "$round" "${NAME[$s]}" "$size" "${rx[2]}" "${tx[3]}" "${d[1]}" "$pct" "$stolen" "${d[2]:-?}" | tee -a "$OUT/runs.txt"
      echo "$s $size ${rx[2]} ${tx[3]} ${d[1]} $pct" >>"$OUT/metrics.txt"
      if [[ $s == O ]]; then # OVS sees the testpmds go before the next ones come (it reconnects by itself)
        for i in $(seq 1 50); do [[ $(ovsctl get Interface vhb link_state) == up ]] || break; sleep 0.1; done
      fi
    done
    "down_$s"
  done
done
[[ " $SWITCHES " == *" O "* ]] && echo "ovs unicast to B: $OVS_MAC_HOW" | tee -a "$OUT/env.txt" >&2
echo "vxswitch unicast to B: the ports' mac: (the vNIC's MAC, looked up first)" | tee -a "$OUT/env.txt" >&2
echo "loadavg: $(cut -d' ' -f1-3 /proc/loadavg) (after)" | tee -a "$OUT/env.txt" >&2

"$PY" - "$OUT/metrics.txt" <<'EOF' | tee "$OUT/summary.txt"
import math, statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
names = {"V": "vxswitch vhost-user", "T": "vxswitch tap", "O": "OVS-DPDK vhost-user"}
short = {"V": "vhost", "T": "tap", "O": "OVS-DPDK"}
def num(x):
    try:
        return float(x)
    except ValueError:
        return math.nan
def col(s, size, i):
    v = [num(r[i]) for r in rows if r[0] == s and r[1] == size]
    return [x for x in v if not math.isnan(x)]
def cell(v, fmt="%.0f"):
    return (fmt + " (" + fmt + "-" + fmt + ")") % (statistics.median(v), min(v), max(v)) if v else "-"
print("\nmedians over the rounds (min-max); rx pps: what testpmd B received per second, tx pps: what A sent,"
      " fwd pps: what the switch sent out of B's port, drops %: the switch's drops in the window")
print("%-5s %-20s %26s %26s %26s %20s" % ("size", "switch", "rx pps", "tx pps", "fwd pps", "drops %"))
for size in sorted({r[1] for r in rows}, key=int):
    med = {}
    for s in "VTO":
        rx = col(s, size, 2)
        if not rx:
            continue
        med[s] = statistics.median(rx)
        print("%-5s %-20s %26s %26s %26s %20s" % (size, names[s], cell(rx), cell(col(s, size, 3)), cell(col(s, size, 4)),
              cell(col(s, size, 5), "%.2f")))
    for a, b in (("V", "O"), ("V", "T")):
        if a in med and b in med and med[b]:
            print("%-5s %-20s %.2f" % (size, "%s / %s rx pps" % (short[a], short[b]), med[a] / med[b]))
EOF
