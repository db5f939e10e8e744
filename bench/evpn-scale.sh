#!/usr/bin/env bash
# bench/evpn-scale.sh - issue 14's scale goal: VTEPS remote VTEPs with MACS MACs each (VTEPS x MACS type-2 and VTEPS
# type-3 routes) reach a vxswitch host through a real route reflector; how long until all of them are in its
# forwarding plane, what they cost in memory, and whether a running iperf3 between two local VMs notices. The same
# routes into an FRR EVPN host (zebra + bgpd, kernel bridge + vxlan) give the baseline.
#
#   gen 198.51.100.250 --+                                  vm1 10.0.0.1 -tap-+
#   (RouteGenerator: one |                                                     +- vxswitch  vx 198.51.100.1
#    iBGP session, plays +-- ul: bridge br0 ---- rr 198.51.100.254             |
#    the VTEPS VTEPs)    |   198.51.100.0/24     (FRR bgpd -Z; or GoBGP)        vm2 10.0.0.2 -tap-+
#                        +-- frr 198.51.100.3: FRR zebra + bgpd, br0 + vxlan119 nolearning (the baseline)
#
# The VTEPs are 198.18.0.1 and up (RFC 2544's benchmarking range); they exist only as next hops. vx and frr route
# 198.18.0.0/15 to gen, which drops what comes (the flood copies of the VMs' ARP), so FRR's next-hop tracking finds
# them reachable, as in a routed underlay.
#
# Order: the generator sends every route to the reflector first (it then holds VTEPS x (MACS + 1) routes); then, per
# run, each of vxswitch and FRR in turn is made a client of the reflector while nothing else runs:
#   vxswitch: the daemon starts with the EVPN neighbor configured, vm1 and vm2 on its taps in VLAN 119; a control
#     window of iperf3 (TCP vm2 -> vm1 at TCP_RATE, plus UDP vm2 -> vm1 at UDP_RATE to count loss) with no routes
#     coming but the API polled as below; then the same again, and 1 s into it the reflector gets vxswitch as a
#     client:
#       t0 = the daemon's log line "neighbor 198.51.100.254 Up" (its own timestamp)
#       t1 = the end of the first poll of the API (GET /api/v1/switch every POLL s, then /api/v1/tunnels) that shows
#            VTEPS x MACS more FDB entries than before and VTEPS VTEPs in VNI 119's flood list; the API reads the
#            switch on its command path, after every install queued before it. The start of the poll before it
#            is printed too: the install was not complete then ("after more than")
#     install = t1 - t0. Memory: the heap in use after a full GC (jcmd GC.run, GC.heap_info) and VmRSS, before the
#     session and once everything is installed: (after - before) / routes = bytes per route.
#   FRR: zebra + bgpd with advertise-all-vni, a client of the same reflector:
#       t0 = bgpd's log line "198.51.100.254 went from OpenConfirm to Established" (millisecond timestamps)
#       t1 = the kernel's notice (RTM_NEWNEIGH on a netlink socket, read as it comes) of the last of the VTEPS x
#            MACS MAC entries and VTEPS flood entries (00:00:00:00:00:00 dst VTEP) on vxlan119; one dump of the
#            table afterwards checks the count
#     and the VmRSS of bgpd + zebra before and after.
# A poll's time is when it returned (a late bound); one poll takes up to a few tenths of a second on a busy machine
# (the slowest is printed), which is the measurement's resolution beside POLL.
#
# usage: sudo bench/evpn-scale.sh
#   env: VTEPS=1000 MACS=100       the fabric the generator plays (CI-sized: VTEPS=20 MACS=50 IPERF=0, 25 s)
#        RUNS=1                    vxswitch (then BASE_JAR's) then FRR, RUNS times
#        REFLECTOR=frr|gobgp       the route reflector: FRR's bgpd -Z (no zebra: every next hop reachable), or gobgpd
#        MEASURE="vxswitch frr"    what to measure in each run: vxswitch, the FRR host, or both
#        FRR_TIMEOUT=300           seconds to wait for FRR's install
#        IPERF=1                   iperf3 during vxswitch's install (0: none)
#        WINDOW=15                 seconds of each iperf3 window (control, then the route storm); at least the
#                                  install time plus a few seconds
#        TCP_RATE=500M UDP_RATE=50M iperf3 rates (-b); TCP_RATE=0 for unlimited
#        TIMEOUT=120               seconds to wait for each install
#        CHECK=1                   fail (exit 1) if vxswitch has not installed everything within TIMEOUT (CI)
#        POLL=0.1                  seconds between polls
#        SWITCH_CPU=N              vxswitch's switch loop keeps CPU N alone (switch.cpu: N) and the bench runs every
#                                  other process (reflector, generator, iperf3, polls, FRR) on the other CPUs
#        JAVA_OPTS="..."           extra JVM options for vxswitch; DIR in them is $OUT (e.g. a JFR recording:
#                                  JAVA_OPTS='-XX:StartFlightRecording=filename=DIR/vx.jfr,settings=profile')
#        BASE_JAR=PATH             with vxswitch: also this vxswitch.jar (an older build), after ours in each run,
#                                  the same way ("base" in the results): before and after a change in one run
#        OUT=DIR                   results (default a new /tmp/evpn-scale.XXXXXX); the JVM's class histograms before
#                                  and after each install are there (NAME-RUN-histogram-*.txt)
# needs: root, iproute2, FRR 8.x (zebra, bgpd, vtysh), gobgpd + gobgp for REFLECTOR=gobgp, iperf3, jq, curl, python3,
#        the jars: mvn -B -q -DskipTests -pl vxswitch-app,vxswitch-jmh -am install
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/find-jdk.sh"
JAR="$root/vxswitch-app/target/vxswitch.jar"
GEN_JAR="$root/vxswitch-jmh/target/benchmarks.jar"
VTEPS=${VTEPS:-1000}
MACS=${MACS:-100}
RUNS=${RUNS:-1}
REFLECTOR=${REFLECTOR:-frr}
MEASURE=${MEASURE:-vxswitch frr}
FRR_TIMEOUT=${FRR_TIMEOUT:-300}
IPERF=${IPERF:-1}
WINDOW=${WINDOW:-15}
TCP_RATE=${TCP_RATE:-500M}
UDP_RATE=${UDP_RATE:-50M}
TIMEOUT=${TIMEOUT:-120}
CHECK=${CHECK:-0}
POLL=${POLL:-0.1}
JAVA_OPTS=${JAVA_OPTS:-}
SWITCH_CPU=${SWITCH_CPU:-}
BASE_JAR=${BASE_JAR:-}
PY=${PY:-python3}
OUT=${OUT:-$(mktemp -d /tmp/evpn-scale.XXXXXX)}
mkdir -p "$OUT"
chmod 755 "$OUT" # FRR's daemons run as user frr and write their logs here

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
[[ $EUID -eq 0 ]] || die "must run as root (network namespaces, TAP devices)"
[[ $REFLECTOR == gobgp || $REFLECTOR == frr ]] || die "REFLECTOR must be gobgp or frr"
NCPU=$(getconf _NPROCESSORS_ONLN) # not nproc: that counts this process's CPUs, fewer once it is pinned
if [[ -n $SWITCH_CPU ]]; then
  [[ $SWITCH_CPU =~ ^[0-9]+$ && $SWITCH_CPU -lt $NCPU && $NCPU -ge 2 ]] \
    || die "SWITCH_CPU must be an online CPU (0-$(( NCPU - 1 ))) of a machine with two or more"
  others=$(seq 0 $(( NCPU - 1 )) | grep -vx "$SWITCH_CPU" | paste -sd,)
  taskset -pc "$others" $$ >/dev/null # everything the bench starts from here on inherits it
fi
for m in $MEASURE; do [[ $m == vxswitch || $m == frr ]] || die "MEASURE takes vxswitch and frr, not '$m'"; done
[[ $VTEPS =~ ^[0-9]+$ && $VTEPS -ge 1 && $VTEPS -le 60000 ]] || die "VTEPS must be 1-60000"
[[ $MACS =~ ^[0-9]+$ && $MACS -le 65536 ]] || die "MACS must be 0-65536"
for c in ip bridge jq curl "$PY"; do command -v "$c" >/dev/null || die "missing '$c'"; done
[[ $IPERF == 1 ]] && { command -v iperf3 >/dev/null || die "missing 'iperf3' (or IPERF=0)"; }
[[ $REFLECTOR == gobgp ]] && { for c in gobgpd gobgp; do command -v "$c" >/dev/null || die "missing '$c' (apt-get install gobgpd)"; done; }
if [[ $REFLECTOR == frr || " $MEASURE " == *" frr "* ]]; then
  [[ -x /usr/lib/frr/bgpd && -x /usr/lib/frr/zebra ]] && command -v vtysh >/dev/null && id frr >/dev/null 2>&1 \
    || die "FRR missing (apt-get install frr), or MEASURE=vxswitch with REFLECTOR=gobgp"
fi
[[ -f $JAR ]] || die "no $JAR: build it first (mvn -B -q -DskipTests -pl vxswitch-app,vxswitch-jmh -am install)"
[[ -z $BASE_JAR || -f $BASE_JAR ]] || die "BASE_JAR=$BASE_JAR: no such jar"
[[ -f $GEN_JAR ]] || die "no $GEN_JAR: build it first (mvn -B -q -DskipTests -pl vxswitch-app,vxswitch-jmh -am install)"

ROUTES=$((VTEPS * (MACS + 1)))
MAC_ROUTES=$((VTEPS * MACS))
ASN=65000 VNI=119
UL=198.51.100 RR=198.51.100.254 GEN=198.51.100.250 VX=198.51.100.1 FRRH=198.51.100.3
FIRST_VTEP=198.18.0.1
API=127.0.0.1:7739
TOKEN=evpn-scale-bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
ID=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
P=evs-$ID
NS_UL=$P-ul NS_RR=$P-rr NS_GEN=$P-gen NS_VX=$P-vx NS_FRR=$P-frr NS_VM1=$P-vm1 NS_VM2=$P-vm2
NSS=($NS_UL $NS_RR $NS_GEN $NS_VX $NS_FRR $NS_VM1 $NS_VM2)
PIDS=()       # background processes to end on exit, by PID
DAEMON_PID=
GOBGP_PORT=50051

ns_kill() { # every process still in namespace $1, by PID: TERM, then KILL
  local p pids i
  pids=$(ip netns pids "$1" 2>/dev/null || true); [[ -z $pids ]] && return 0
  for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
  for i in $(seq 1 30); do [[ -z $(ip netns pids "$1" 2>/dev/null || true) ]] && return 0; sleep 0.1; done
  for p in $(ip netns pids "$1" 2>/dev/null || true); do kill -KILL "$p" 2>/dev/null || true; done
}
cleanup() {
  local rc=$? n p
  trap - EXIT INT TERM
  for p in "${PIDS[@]}" $DAEMON_PID; do kill -TERM "$p" 2>/dev/null || true; done
  for n in "${NSS[@]}"; do ns_kill "$n"; ip netns del "$n" 2>/dev/null || true; done
  log "cleaned up (namespaces $P-*); raw results in $OUT"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# seconds since midnight, to the millisecond: HH:MM:SS.mmm -> S.mmm
sod() { awk -F'[:.]' '{ printf "%.3f\n", $1 * 3600 + $2 * 60 + $3 + ("0." $4) }' <<< "$1"; }
now_sod() { sod "$(date +%H:%M:%S.%N)"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { d = b - a; if (d < -43200) d += 86400; printf "%.3f\n", d }'; }

# ---- the underlay: a bridge in its own namespace, one veth per speaker
for n in "${NSS[@]}"; do
  ip netns add "$n"; ip -n "$n" link set lo up
  ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip -n $NS_UL link add br0 type bridge; ip -n $NS_UL link set br0 up
attach() { # $1 namespace, $2 short name, $3 address: ul0 on the underlay
  ip -n $NS_UL link add "p-$2" type veth peer name ul0 netns "$1"
  ip -n $NS_UL link set "p-$2" master br0; ip -n $NS_UL link set "p-$2" up
  ip -n "$1" addr add "$3/24" dev ul0; ip -n "$1" link set ul0 up
  ip netns exec "$1" ethtool -K ul0 tx off rx off gso off tso off gro off >/dev/null 2>&1 || true
}
attach $NS_RR rr $RR; attach $NS_GEN gen $GEN; attach $NS_VX vx $VX; attach $NS_FRR frr $FRRH
for n in $NS_VX $NS_FRR; do ip -n "$n" route add 198.18.0.0/15 via $GEN; done

# ---- the reflector
G=$OUT/gobgp F_RR=$OUT/frr-rr
gobgp_conf() { # the config with the generator and the clients "$@"; gobgpd reloads it on SIGHUP
  { printf '[global.config]\n  as = %d\n  router-id = "%s"\n  local-address-list = ["%s"]\n' $ASN $RR $RR
    local c
    for c in $GEN "$@"; do
      cat <<EOF
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$c"
    peer-as = $ASN
  [neighbors.transport.config]
    local-address = "$RR"
  [neighbors.timers.config]
    connect-retry = 1
  [neighbors.route-reflector.config]
    route-reflector-client = true
    route-reflector-cluster-id = "$RR"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "l2vpn-evpn"
EOF
    done; } > "$G/gobgpd.toml"
}
frr_daemon() { # $1 namespace, $2 folder, $3 daemon, extra args...: FRR started by hand, as in Frr.java
  local ns=$1 dir=$2 d=$3; shift 3
  ip netns exec "$ns" /usr/lib/frr/$d -d -z "$dir/zserv.api" --vty_socket "$dir" -P 0 -f "$dir/$d.conf" \
    -i "$dir/$d.pid" "$@"
  PIDS+=("$(cat "$dir/$d.pid")")
}
rr_start() {
  if [[ $REFLECTOR == gobgp ]]; then
    mkdir -p "$G"; gobgp_conf
    ip netns exec $NS_RR gobgpd -f "$G/gobgpd.toml" --log-plain --api-hosts 127.0.0.1:$GOBGP_PORT --pprof-disable \
      >"$G/gobgpd.log" 2>&1 &
    PIDS+=($!)
  else
    mkdir -p "$F_RR"
    cat > "$F_RR/bgpd.conf" <<EOF
hostname $NS_RR
log file $F_RR/bgpd.log
log timestamp precision 3
router bgp $ASN
 bgp router-id $RR
 bgp cluster-id $RR
 no bgp default ipv4-unicast
 no bgp ebgp-requires-policy
 neighbor $GEN remote-as $ASN
 address-family l2vpn evpn
  neighbor $GEN activate
  neighbor $GEN route-reflector-client
 exit-address-family
EOF
    chown -R frr:frr "$F_RR"
    frr_daemon $NS_RR "$F_RR" bgpd -Z
  fi
}
rr_add() { # $1: a client address
  if [[ $REFLECTOR == gobgp ]]; then
    gobgp_conf "$1"; kill -HUP "${PIDS[0]}"
  else
    vtysh --vty_socket "$F_RR" -c "configure terminal" -c "router bgp $ASN" -c "neighbor $1 remote-as $ASN" \
      -c "neighbor $1 timers connect 1" -c "address-family l2vpn evpn" -c "neighbor $1 activate" \
      -c "neighbor $1 route-reflector-client" >/dev/null
  fi
}
rr_remove() { # $1: a client address
  if [[ $REFLECTOR == gobgp ]]; then
    gobgp_conf; kill -HUP "${PIDS[0]}"
  else
    vtysh --vty_socket "$F_RR" -c "configure terminal" -c "router bgp $ASN" -c "no neighbor $1" >/dev/null
  fi
}
rr_routes() { # how many EVPN routes the reflector holds
  if [[ $REFLECTOR == gobgp ]]; then
    ip netns exec $NS_RR gobgp -p $GOBGP_PORT global rib summary -a evpn 2>/dev/null \
      | awk '/Destination:/ { gsub(",", ""); print $4; exit }' || true
  else
    vtysh --vty_socket "$F_RR" -c "show bgp l2vpn evpn summary json" 2>/dev/null \
      | jq -r "[.peers[\"$GEN\"].pfxRcd // 0] | .[0]" 2>/dev/null || true
  fi
}

# ---- the generator
rr_start
for i in $(seq 1 100); do
  if [[ $REFLECTOR == gobgp ]]; then grep -q "gobgpd started" "$G/gobgpd.log" 2>/dev/null && break
  else [[ -S $F_RR/bgpd.vty ]] && break; fi
  sleep 0.1
done
log "reflector: $REFLECTOR in $NS_RR ($RR)"
ip netns exec $NS_GEN "$JAVA_HOME/bin/java" -cp "$GEN_JAR" io.vxswitch.jmh.evpn.RouteGenerator --reflector $RR \
  --router-id $GEN --source $GEN --asn $ASN --vteps "$VTEPS" --macs "$MACS" --vni $VNI --rt $ASN:$VNI \
  --first-vtep $FIRST_VTEP >"$OUT/generator.log" 2>&1 &
PIDS+=($!)
t=$(date +%s)
while :; do
  n=$(rr_routes); [[ ${n:-0} -ge $ROUTES ]] && break
  (( $(date +%s) - t > TIMEOUT )) && { tail -20 "$OUT/generator.log" >&2; die "the reflector holds ${n:-0} of $ROUTES routes after ${TIMEOUT}s"; }
  sleep 0.5
done
log "generator: $(grep -o 'sent .*' "$OUT/generator.log"); the reflector holds $n EVPN routes after $(( $(date +%s) - t ))s"

# ---- vxswitch
FDB_CAPACITY=$(( MAC_ROUTES + 8192 ))
cat > "$OUT/vx.yaml" <<EOF
switch: {name: evpn-scale, fdbCapacity: $FDB_CAPACITY${SWITCH_CPU:+, cpu: $SWITCH_CPU}}
portGroups:
  - {name: vlan119, vlan: $VNI}
ports:
  - {name: vm1, type: tap, portGroup: vlan119, mac: "02:00:00:00:00:01"}
  - {name: vm2, type: tap, portGroup: vlan119, mac: "02:00:00:00:00:02"}
evpn:
  asn: $ASN
  routerId: $VX
  connectRetry: 1
  neighbors:
    - {address: $RR, asn: $ASN}
tunnels:
  - {name: vx119, vni: $VNI, vlan: $VNI, local: $VX, controlPlane: evpn}
api: {listen: "$API", token: "$TOKEN"}
EOF
api() { ip netns exec $NS_VX curl -sf -m 5 -H "Authorization: Bearer $TOKEN" "http://$API/api/v1/$1"; }
vx_fdb() { # FDB entries (learned, static and EVPN), from the API: a small answer, cheap to poll
  local fdb; fdb=$(api switch | grep -o '"fdbEntries" *: *[0-9]*' | grep -o '[0-9]*$') || fdb=
  echo "${fdb:-0}"
}
vx_flood() { # VTEPs in VNI 119's flood list
  local flood; flood=$(api tunnels | jq -r '[.[] | .vnis[] | select(.vni == '$VNI') | .floodList | length] | add // 0' 2>/dev/null) || flood=
  echo "${flood:-0}"
}
heap_used() { # $1 pid: KiB of heap in use after a full collection
  jcmd "$1" GC.run >/dev/null 2>&1 || true
  # G1 prints "garbage-first heap total 262144K, used 61473K", ZGC "ZHeap used 60M, capacity 256M": to KiB
  jcmd "$1" GC.heap_info 2>/dev/null | awk '/garbage-first heap|ZHeap|heap/ { for (i = 1; i <= NF; i++) if ($i == "used") {
    v = $(i + 1); gsub(/[^0-9KMG]/, "", v); n = v + 0; u = substr(v, length(v));
    print (u == "G" ? n * 1048576 : u == "M" ? n * 1024 : n); exit } }'
}
rss() { # pids...: total VmRSS in KiB
  local p t=0 v
  for p in "$@"; do v=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo 0); t=$((t + ${v:-0})); done
  echo $t
}
where_lost() { # "tap queue, switch, receiver" drop counters so far: where a lost datagram went
  # vm2's tap TX dropped: its queue to vxswitch was full (the switch loop did not read in time); vxswitch's drops of
  # every reason on every port; vm1's UDP receive buffer errors (iperf3's receiver did not read in time: its CPU)
  local tap sw rcv
  tap=$(ip -n $NS_VM2 -s -j link show vm2 2>/dev/null | jq '.[0].stats64.tx.dropped // 0' 2>/dev/null)
  sw=$(api stats | jq '[.[] | .drops | to_entries[] | .value] | add // 0' 2>/dev/null)
  rcv=$(ip netns exec $NS_VM1 awk '/^Udp:/ && $2 ~ /^[0-9]+$/ { print $6 }' /proc/net/snmp)
  echo "${tap:-0} ${sw:-0} ${rcv:-0}"
}
iperf_pair() { # $1 label [$2 seconds]: TCP and UDP vm2 -> vm1 for WINDOW s, in the background; iperf_wait collects them
  local secs=${2:-$WINDOW}
  where_lost > "$OUT/$1-lost0.txt"
  local tcp=(); [[ $TCP_RATE != 0 ]] && tcp=(-b "$TCP_RATE")
  ip netns exec $NS_VM1 iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
  ip netns exec $NS_VM1 iperf3 -s -1 -p 5202 >/dev/null 2>&1 &
  sleep 0.3
  ip netns exec $NS_VM2 iperf3 -c 10.0.0.1 -p 5201 -t "$secs" "${tcp[@]}" --json >"$OUT/$1-tcp.json" 2>&1 &
  IPERF_TCP=$!
  ip netns exec $NS_VM2 iperf3 -c 10.0.0.1 -p 5202 -u -b "$UDP_RATE" -l 1200 -t "$secs" --get-server-output --json >"$OUT/$1-udp.json" 2>&1 &
  IPERF_UDP=$!
}
iperf_wait() { # waits for iperf_pair's clients (in this shell, not in a $(...) subshell)
  wait "$IPERF_TCP" "$IPERF_UDP" 2>/dev/null || true
}
iperf_summary() { # $1 label -> "TCP Gbit/s, retransmits; UDP lost/total"
  local tcp udp
  tcp=$(jq -r '"\(.end.sum_received.bits_per_second / 1e9 * 1000 | round / 1000) Gbit/s, \(.end.sum_sent.retransmits) retransmits"' "$OUT/$1-tcp.json" 2>/dev/null || echo "TCP failed")
  udp=$(jq -r '"UDP \(.end.sum.lost_packets)/\(.end.sum.packets) lost"' "$OUT/$1-udp.json" 2>/dev/null || echo "UDP failed")
  # the receiver's losses second by second (iperf3 --get-server-output), those that are not 0: "second:lost"
  udp="$udp (by second: $(jq -r '.server_output_text // ""' "$OUT/$1-udp.json" 2>/dev/null | awk '
    /^\[ *[0-9]+\] +[0-9.]+-[0-9.]+ +sec/ && !/receiver|sender/ {
      split($3, t, "-"); for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\/[0-9]+$/) { split($i, l, "/"); if (l[1] > 0) printf "%s%d:%d", sep, t[1], l[1]; sep = " " } }'))"
  # and where they went (where_lost's counters over the window; the TCP stream's share included)
  local t0 s0 r0 t1 s1 r1
  read -r t0 s0 r0 < "$OUT/$1-lost0.txt"; read -r t1 s1 r1 <<< "$(where_lost)"
  api stats > "$OUT/$1-stats.json" 2>/dev/null || true # the switch's drops by reason, if any
  echo "TCP $tcp; $udp; dropped: tap queue $((t1 - t0)), switch $((s1 - s0)), receiver buffer $((r1 - r0))"
}

run_vxswitch() { # $1 run number, $2 label (vx or base), $3 jar
  local r=$1 name=$2 jar=$3 log=$OUT/$2-$1.log opts=() i
  [[ -n $JAVA_OPTS ]] && read -r -a opts <<< "${JAVA_OPTS//DIR/$OUT}"
  # with SWITCH_CPU the JVM starts on every CPU (so that its ergonomics see them all) and moves itself: the switch
  # loop to SWITCH_CPU, its other threads off it
  local all=(); [[ -n $SWITCH_CPU ]] && all=(taskset -c "0-$(( NCPU - 1 ))")
  ip netns exec $NS_VX "${all[@]}" "$JAVA_HOME/bin/java" "${opts[@]}" --enable-native-access=ALL-UNNAMED -jar "$jar" run \
    --config "$OUT/vx.yaml" >"$log" 2>&1 &
  DAEMON_PID=$!
  for i in $(seq 1 300); do
    grep -q "management API on" "$log" && break; kill -0 $DAEMON_PID 2>/dev/null || break; sleep 0.1
  done
  grep -q "management API on" "$log" || { cat "$log" >&2; die "vxswitch did not start"; }
  for v in 1 2; do
    ip -n $NS_VX link set vm$v netns $P-vm$v
    ip -n $P-vm$v link set vm$v address 02:00:00:00:00:0$v
    ip -n $P-vm$v addr add 10.0.0.$v/24 dev vm$v; ip -n $P-vm$v link set vm$v up
  done
  ip netns exec $NS_VM2 ping -c 3 -i 0.2 -W 1 10.0.0.1 >/dev/null || die "vm2 cannot ping vm1 on vxswitch"
  sleep 1
  local heap0 rss0 base control= storm=
  heap0=$(heap_used $DAEMON_PID); rss0=$(rss $DAEMON_PID)
  jcmd $DAEMON_PID GC.class_histogram > "$OUT/$name-$r-histogram-before.txt" 2>/dev/null || true
  base=$(vx_fdb)
  if [[ $IPERF == 1 ]]; then
    # a warm-up (the forwarding path and the API's first answers: class loading and the JIT take CPU from
    # forwarding), then the control window, which polls the API as the storm window will: only the routes differ
    iperf_pair $name-$r-warmup 5
    while kill -0 "$IPERF_UDP" 2>/dev/null; do vx_fdb >/dev/null; vx_flood >/dev/null; sleep "$POLL"; done
    iperf_wait
    iperf_pair $name-$r-control
    while kill -0 "$IPERF_UDP" 2>/dev/null; do vx_fdb >/dev/null; vx_flood >/dev/null; sleep "$POLL"; done
    iperf_wait; control=$(iperf_summary $name-$r-control)
    iperf_pair $name-$r-storm; sleep 1
  fi
  local added; added=$(now_sod)
  rr_add $VX
  local up= t1= fdb=0 flood=0 polls=0 slowest=0 p0 p1 t0s last0=
  while :; do
    p0=$(now_sod)
    fdb=$(vx_fdb)
    (( fdb - base >= MAC_ROUTES )) && flood=$(vx_flood) # the flood list only once the MACs are in: a longer answer
    p1=$(now_sod); polls=$((polls + 1))
    echo "$p0 $p1 $((fdb - base)) $flood" >> "$OUT/$name-$r-polls.txt"
    slowest=$(awk -v s="$slowest" -v d="$(elapsed "$p0" "$p1")" 'BEGIN { print (d > s ? d : s) }')
    if [[ -z $up ]]; then up=$(grep -m1 -o "^[0-9:.]* bgp: neighbor $RR Up" "$log" | cut -d' ' -f1 || true); fi
    if (( fdb - base >= MAC_ROUTES && flood >= VTEPS )) && [[ -n $up ]]; then t1=$p1; break; fi
    last0=$p0
    [[ $(elapsed "$added" "$p1" | cut -d. -f1) -ge $TIMEOUT ]] && break
    sleep "$POLL"
  done
  local install="(timeout: $((fdb - base)) MACs, $flood VTEPs)" low=
  if [[ -z $t1 && $CHECK == 1 ]]; then
    die "$name did not install all $MAC_ROUTES MACs and $VTEPS VTEPs within $TIMEOUT s: $((fdb - base)) MACs, $flood VTEPs"
  fi
  if [[ -n $t1 ]]; then
    t0s=$(sod "$up"); install=$(elapsed "$t0s" "$t1")
    # not yet complete when the previous poll began (if that was before the session came up: 0)
    [[ -n $last0 ]] && low=$(elapsed "$t0s" "$last0" | awk '{ print ($1 < 0 ? "0.000" : $1) }')
  fi
  if [[ $IPERF == 1 ]]; then iperf_wait; storm=$(iperf_summary $name-$r-storm); fi
  local heap1 rss1
  heap1=$(heap_used $DAEMON_PID); rss1=$(rss $DAEMON_PID)
  # what the routes are made of: the live objects per class after the install, beside the ones before
  jcmd $DAEMON_PID GC.class_histogram > "$OUT/$name-$r-histogram-after.txt" 2>/dev/null || true
  log "$name run $r: session up at $up ($(elapsed "$added" "$(sod "${up:-00:00:00.000}")") s after the reflector got it)," \
    "all $MAC_ROUTES MACs and $VTEPS VTEPs installed after $install s (after more than ${low:-?} s); polls: $polls, slowest $slowest s"
  log "$name run $r: heap $((heap0 / 1024)) -> $((heap1 / 1024)) MiB = $(( (heap1 - heap0) * 1024 / ROUTES )) B/route;" \
    "RSS $((rss0 / 1024)) -> $((rss1 / 1024)) MiB = $(( (rss1 - rss0) * 1024 / ROUTES )) B/route"
  [[ $IPERF == 1 ]] && log "$name run $r: iperf3 control: $control" && log "$name run $r: iperf3 storm:   $storm"
  echo "$name $r install_s=$install low_s=${low:-?} heap_kib=$heap0,$heap1 rss_kib=$rss0,$rss1 routes=$ROUTES control=[$control] storm=[$storm]" >> "$OUT/results.txt"
  kill -TERM $DAEMON_PID; wait $DAEMON_PID 2>/dev/null || true; DAEMON_PID=
  grep -E "Exception|internal error|not installed|cannot" "$log" | head -5 >&2 || true
  rr_remove $VX
  for v in 1 2; do ip -n $P-vm$v link del vm$v 2>/dev/null || true; done
  sleep 2
}

# ---- the FRR EVPN host (the baseline)
F=$OUT/frr-host
ip -n $NS_FRR link add br0 type bridge mcast_snooping 0; ip -n $NS_FRR link set br0 up
frr_fdb() { # "MAC entries, flood entries" of vxlan119 in the kernel, each counted once (a dump of a table that
  # changes meanwhile may repeat entries)
  ip netns exec $NS_FRR bridge fdb show dev vxlan$VNI | awk '
    / dst / { if ($1 == "00:00:00:00:00:00") f[$3] = 1; else m[$1] = 1 }
    END { printf "%d %d\n", length(m), length(f) }'
}
# Dumping 100,000 entries takes seconds on a busy machine (and competes with zebra), so FRR's install is timed by
# the kernel's own notices instead, read from a netlink socket as they come (bridge monitor fdb's socket overflows
# at this rate): the time of day at which the last MAC and flood entry came.
cat > "$OUT/fdbwatch.py" <<'PY'
import datetime, socket, struct, sys
# The kernel's FDB notices (RTM_NEWNEIGH, AF_BRIDGE) for one vxlan device, read from a netlink socket with a
# buffer large enough for 100,000 of them: `bridge monitor fdb` overflows its socket at this rate (ENOBUFS).
macs_wanted, vteps_wanted, dev = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
RTNLGRP_NEIGH, RTM_NEWNEIGH, AF_BRIDGE, NTF_SELF, NDA_DST, NDA_LLADDR = 3, 28, 7, 0x02, 1, 2
ifindex = socket.if_nametoindex(dev)
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.setsockopt(socket.SOL_SOCKET, 33, 256 << 20)  # SO_RCVBUFFORCE (root): 256 MiB
s.bind((0, 1 << (RTNLGRP_NEIGH - 1)))
macs, vteps, step = set(), set(), max(1, macs_wanted // 10)
def now():
    return datetime.datetime.now().strftime("%H:%M:%S.%f")[:-3]
print("watching", now(), flush=True)
while True:
    try:
        data = s.recv(1 << 20)
    except OSError as e:
        print("lost notices", now(), e, flush=True)
        continue
    off = 0
    while off + 16 <= len(data):
        length, mtype = struct.unpack_from("=IH", data, off)
        if length < 16:
            break
        if mtype == RTM_NEWNEIGH and off + 28 <= len(data):
            family, idx, state, flags = struct.unpack_from("=B3xiHB", data, off + 16)
            if family == AF_BRIDGE and idx == ifindex and flags & NTF_SELF:
                mac = dst = None
                a = off + 28
                while a + 4 <= off + length:
                    alen, atype = struct.unpack_from("=HH", data, a)
                    if alen < 4:
                        break
                    if atype == NDA_LLADDR:
                        mac = data[a + 4:a + alen]
                    elif atype == NDA_DST:
                        dst = data[a + 4:a + alen]
                    a += (alen + 3) & ~3
                if mac is not None and dst is not None:
                    if mac == b"\0" * 6:
                        vteps.add(dst)
                    else:
                        n = len(macs)
                        macs.add(mac)
                        if len(macs) // step != n // step:
                            print("progress", now(), len(macs), len(vteps), flush=True)
        off += (length + 3) & ~3
    if len(macs) >= macs_wanted and len(vteps) >= vteps_wanted:
        print("complete", now(), len(macs), len(vteps), flush=True)
        break
PY
run_frr() { # $1 run number
  local r=$1 i
  ip -n $NS_FRR link add vxlan$VNI type vxlan id $VNI local $FRRH dstport 4789 dev ul0 nolearning # a new one per run
  ip -n $NS_FRR link set vxlan$VNI master br0; ip -n $NS_FRR link set vxlan$VNI up
  rm -rf "$F"; mkdir -p "$F"
  printf 'hostname %s\nlog file %s\nlog timestamp precision 3\n' $NS_FRR "$F/zebra.log" > "$F/zebra.conf"
  cat > "$F/bgpd.conf" <<EOF
hostname $NS_FRR
log file $F/bgpd.log
log timestamp precision 3
debug bgp neighbor-events
router bgp $ASN
 bgp router-id $FRRH
 no bgp default ipv4-unicast
 no bgp ebgp-requires-policy
 neighbor $RR remote-as $ASN
 neighbor $RR timers connect 1
 address-family l2vpn evpn
  neighbor $RR activate
  advertise-all-vni
 exit-address-family
EOF
  chown -R frr:frr "$F"
  frr_daemon $NS_FRR "$F" zebra
  for i in $(seq 1 50); do [[ -S $F/zserv.api ]] && break; sleep 0.1; done
  frr_daemon $NS_FRR "$F" bgpd
  local zpid bpid; zpid=$(cat "$F/zebra.pid"); bpid=$(cat "$F/bgpd.pid")
  sleep 2
  local rss0 base; rss0=$(rss "$zpid" "$bpid"); read -r base _ <<< "$(frr_fdb)"
  local watch=$OUT/frr-$r-watch.txt
  ip netns exec $NS_FRR "$PY" -u "$OUT/fdbwatch.py" $((MAC_ROUTES + base)) "$VTEPS" vxlan$VNI > "$watch" 2>&1 &
  local watcher=$!
  for i in $(seq 1 50); do grep -q watching "$watch" && break; sleep 0.1; done
  local added; added=$(now_sod)
  rr_add $FRRH
  local up= done_at= macs=0 flood=0 p1
  while :; do
    sleep "$POLL"
    p1=$(now_sod)
    if [[ -z $up ]]; then
      up=$(grep -m1 "$RR went from OpenConfirm to Established" "$F/bgpd.log" 2>/dev/null | grep -o '[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]*' | head -1 || true)
    fi
    done_at=$(awk '$1 == "complete" { print $2 }' "$watch")
    [[ -n $done_at && -n $up ]] && break
    kill -0 $watcher 2>/dev/null || { log "FRR run $r: the FDB watcher ended: $(tail -2 "$watch" | tr '\n' ' ')"; break; }
    [[ $(elapsed "$added" "$p1" | cut -d. -f1) -ge $FRR_TIMEOUT ]] && break
  done
  kill $watcher 2>/dev/null || true; wait $watcher 2>/dev/null || true
  read -r macs flood <<< "$(frr_fdb)" # the kernel's table, dumped once to check the notices' count
  local install="(timeout: $(awk '$1 == "progress" { m = $3 } END { print m + 0 }' "$watch") MACs seen)"
  [[ -n $done_at && -n $up ]] && install=$(elapsed "$(sod "$up")" "$(sod "$done_at")")
  grep -q "lost notices" "$watch" && install="$install (some notices were lost)"
  (( macs - base >= MAC_ROUTES && flood >= VTEPS )) || install="$install (but the dump has $((macs - base)) MACs, $flood VTEPs)"
  local rss1; rss1=$(rss "$zpid" "$bpid")
  { for c in "show bgp l2vpn evpn summary" "show evpn vni $VNI"; do
      echo "# $c"; vtysh --vty_socket "$F" -c "$c" 2>&1 || true; done; } > "$OUT/frr-$r-state.txt"
  log "FRR run $r: session up at $up, all $MAC_ROUTES MACs and $VTEPS VTEPs in the kernel after $install s;" \
    "zebra + bgpd RSS $((rss0 / 1024)) -> $((rss1 / 1024)) MiB = $(( (rss1 - rss0) * 1024 / ROUTES )) B/route"
  echo "frr $r install_s=$install rss_kib=$rss0,$rss1 routes=$ROUTES" >> "$OUT/results.txt"
  kill -TERM "$bpid" "$zpid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$bpid" 2>/dev/null || kill -0 "$zpid" 2>/dev/null || break; sleep 0.1; done
  rr_remove $FRRH
  ip -n $NS_FRR link del vxlan$VNI
  sleep 2
}

{ echo "machine: $NCPU CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "vxswitch: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "reflector: $REFLECTOR $( [[ $REFLECTOR == gobgp ]] && gobgpd --version | head -1)"
  echo "FRR: $(/usr/lib/frr/bgpd --version 2>/dev/null | head -1)"
  echo "fabric: $VTEPS VTEPs x $MACS MACs = $MAC_ROUTES type-2 + $VTEPS type-3 routes"
  echo "switch loop: $([[ -n $SWITCH_CPU ]] && echo "CPU $SWITCH_CPU alone, the bench on CPUs $others" || echo "not pinned"); JAVA_OPTS: ${JAVA_OPTS:-none}"; } | tee "$OUT/machine.txt" >&2
for r in $(seq 1 "$RUNS"); do
  if [[ " $MEASURE " == *" vxswitch "* ]]; then
    run_vxswitch "$r" vx "$JAR"
    [[ -n $BASE_JAR ]] && run_vxswitch "$r" base "$BASE_JAR"
  fi
  [[ " $MEASURE " == *" frr "* ]] && run_frr "$r"
done
log "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$OUT/results.txt"
