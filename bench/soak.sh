#!/usr/bin/env bash
# bench/soak.sh - issue 15's soak: the daemon under TCP and UDP load through a VXLAN tunnel for DURATION seconds
# while its config is reloaded every RELOAD s (a port added and removed, port groups' policies changed), a MAC moves
# between two ports every MOVE s, and the API is polled every second. What it reports: crashes (the daemon must live
# to the end and exit 0 on SIGTERM), UDP loss at half the measured peak rate and where the lost datagrams were
# dropped (vm2's tap queue, the switch, the far VTEP, the receiver's buffer), TCP throughput, the reloads that failed,
# and the daemon's heap, RSS, file descriptors and threads sampled every SAMPLE s, first and last sample compared
# (flat within 5 %; the heap after a full GC at those two, as it is in between).
#
#   vm1 10.0.0.1 -tap-+                                                         +- veth - vm3 10.0.0.3
#   vm2 10.0.0.2 -tap-+- vxswitch (hostA) ul0 192.0.2.1 == veth == ul0 192.0.2.2 hostB: br0 + vxlan119 (kernel)
#   nested: n1, n2 ---+   (taps in a learning port group: MAC 02:00:00:00:0a:0a sent from   +- veth - vm4 10.0.0.4
#   (churn1: a tap that comes and goes with the reloads)   n1, then n2, then n1...)
#
# Load, all through the tunnel: TCP vm1 -> vm3 at TCP_RATE; UDP vm2 -> vm4, 1,200-byte datagrams, at half the peak
# rate measured first (a 5 s UDP run at full speed on the same path: what vm4 received). The reloads alternate two
# files: A has port churn1 (group churn, promiscuous rejected) and group nested limited to 64 MACs; B has no churn1,
# churn accepts promiscuous mode and nested is limited to 128. vm1, vm2 and their group are in neither change: a
# reload must not cost them a frame (docs/api.md, "config reload").
#
# usage: sudo bench/soak.sh     env: DURATION=1800 RELOAD=10 MOVE=3 SAMPLE=60 TCP_RATE=200M CHECK=0 OUT=DIR
#        CHECK=1: exit 1 if the daemon died or exited non-zero, a reload failed, or descriptors or threads grew more
#        than 5 % from the first sample to the last (CI runs DURATION=120 SAMPLE=20 CHECK=1)
#        JAVA_OPTS="..."  extra JVM options for vxswitch; DIR in them is $OUT
# needs: root, iproute2, ethtool, iperf3, jq, curl, Debian's /usr/bin/python3 (the MAC mover), the jar
#        (mvn -B -q -DskipTests -pl vxswitch-app -am package)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/find-jdk.sh"
JAR="$root/vxswitch-app/target/vxswitch.jar"
DURATION=${DURATION:-1800}
RELOAD=${RELOAD:-10}
MOVE=${MOVE:-3}
SAMPLE=${SAMPLE:-60}
TCP_RATE=${TCP_RATE:-200M}
CHECK=${CHECK:-0}
JAVA_OPTS=${JAVA_OPTS:-}
PY=/usr/bin/python3
OUT=${OUT:-$(mktemp -d /tmp/soak.XXXXXX)}
mkdir -p "$OUT"

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
[[ $EUID -eq 0 ]] || die "must run as root (network namespaces, TAP devices)"
for c in ip ethtool iperf3 jq curl jcmd; do
  command -v "$c" >/dev/null || [[ -x $JAVA_HOME/bin/$c ]] || die "missing '$c'"
done
[[ -x $PY ]] && $PY -c 'import socket; socket.AF_PACKET' 2>/dev/null || die "missing Debian's python3 at $PY"
[[ -f $JAR ]] || die "no $JAR: mvn -B -q -DskipTests -pl vxswitch-app -am package"
[[ $DURATION =~ ^[0-9]+$ && $DURATION -ge 30 ]] || die "DURATION must be 30 s or more"
(( SAMPLE * 2 <= DURATION )) || die "SAMPLE ($SAMPLE s) must fit twice in DURATION ($DURATION s)"
PATH="$JAVA_HOME/bin:$PATH"

P=sk-$(printf '%04x' $$)
A=$P-a B=$P-b
API=127.0.0.1:7739
TOKEN=soak-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
DAEMON_PID=
PIDS=()
cleanup() {
  local rc=$?
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -n $DAEMON_PID ]] && { kill -TERM "$DAEMON_PID" 2>/dev/null || true; wait "$DAEMON_PID" 2>/dev/null || true; }
  for ns in $(ip netns list | awk '{ print $1 }' | grep "^$P-" || true); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  log "cleaned up (namespaces $P-*); raw results in $OUT"
  exit $rc
}
trap cleanup EXIT INT TERM
netns() { ip netns add "$1"; ip -n "$1" link set lo up; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
api() { ip netns exec "$A" curl -sf -m 5 -H "Authorization: Bearer $TOKEN" "$@"; } # the API is on hostA's loopback

# ---- the underlay and hostB (the Linux bridge + kernel vxlan: the far VTEP)
for ns in $A $B $P-vm1 $P-vm2 $P-vm3 $P-vm4 $P-nested; do netns "$ns"; done
ip -n $A link add ul0 type veth peer name ul0 netns $B
for ns in $A $B; do
  # a veth has no NIC to finish checksums: with offloads on, the kernel VTEP would send inner TCP checksums unfinished
  in_ns $ns ethtool -K ul0 tx off rx off gso off tso off gro off >/dev/null 2>&1 || true
  ip -n $ns link set ul0 up
done
ip -n $A addr add 192.0.2.1/24 dev ul0
ip -n $B addr add 192.0.2.2/24 dev ul0
ip -n $B link add br0 type bridge
ip -n $B link add vxlan119 type vxlan id 119 local 192.0.2.2 dstport 4789 nolearning
in_ns $B bridge fdb append 00:00:00:00:00:00 dev vxlan119 dst 192.0.2.1
ip -n $B link set vxlan119 master br0
for v in 3 4; do
  ip -n $B link add v$v type veth peer name vm$v netns $P-vm$v
  ip -n $B link set v$v master br0; ip -n $B link set v$v up
  ip -n $P-vm$v link set vm$v mtu 1450 address 02:00:00:00:00:0$v
  ip -n $P-vm$v addr add 10.0.0.$v/24 dev vm$v; ip -n $P-vm$v link set vm$v up
done
ip -n $B link set vxlan119 up; ip -n $B link set br0 up

# ---- vxswitch on hostA, two configs to alternate
config() { # $1 A|B
  cat <<EOF
switch: {name: soak}
api: {listen: "$API", token: "$TOKEN", tokenFile: "$OUT/api.token"}
portGroups:
  - {name: vlan119, vlan: 119}
  - name: nested
    vlan: 119
    security: {forgedTransmits: accept, macChanges: accept}
    macLearning: {enabled: true, limit: $([[ $1 == A ]] && echo 64 || echo 128)}
  - name: churn
    vlan: 119
    security: {allowPromiscuous: $([[ $1 == A ]] && echo reject || echo accept)}
ports:
  - {name: vm1, type: tap, portGroup: vlan119, mac: "02:00:00:00:00:01", mtu: 1450}
  - {name: vm2, type: tap, portGroup: vlan119, mac: "02:00:00:00:00:02", mtu: 1450}
  - {name: n1, type: tap, portGroup: nested, mtu: 1450}
  - {name: n2, type: tap, portGroup: nested, mtu: 1450}
$([[ $1 == A ]] && echo '  - {name: churn1, type: tap, portGroup: churn, mac: "02:00:00:00:0c:01"}')
tunnels:
  - {name: vx119, vni: 119, vlan: 119, local: 192.0.2.1, remotes: [192.0.2.2]}
EOF
}
config A > "$OUT/vx-A.yaml"; config B > "$OUT/vx-B.yaml"; cp "$OUT/vx-A.yaml" "$OUT/vx.yaml"
opts=(); [[ -n $JAVA_OPTS ]] && read -r -a opts <<< "${JAVA_OPTS//DIR/$OUT}"
ip netns exec $A "$JAVA_HOME/bin/java" "${opts[@]}" --enable-native-access=ALL-UNNAMED -jar "$JAR" run --config "$OUT/vx.yaml" \
  >"$OUT/vxswitch.log" 2>&1 &
DAEMON_PID=$!
for _ in $(seq 1 300); do
  grep -q "management API on" "$OUT/vxswitch.log" && break; kill -0 $DAEMON_PID 2>/dev/null || break; sleep 0.1
done
grep -q "management API on" "$OUT/vxswitch.log" || { cat "$OUT/vxswitch.log" >&2; die "vxswitch did not start"; }
JPID=$DAEMON_PID # ip netns exec execs the JVM: the same process
for v in 1 2; do
  ip -n $A link set vm$v netns $P-vm$v
  ip -n $P-vm$v link set vm$v address 02:00:00:00:00:0$v
  ip -n $P-vm$v addr add 10.0.0.$v/24 dev vm$v; ip -n $P-vm$v link set vm$v up
done
for n in n1 n2; do ip -n $A link set $n netns $P-nested; ip -n $P-nested link set $n up; done
in_ns $P-vm1 ping -c 3 -i 0.2 -W 2 10.0.0.3 >/dev/null || die "vm1 cannot ping vm3 through the tunnel"
in_ns $P-vm2 ping -c 3 -i 0.2 -W 2 10.0.0.4 >/dev/null || die "vm2 cannot ping vm4 through the tunnel"

# ---- the peak UDP rate of the path, then half of it for the soak
in_ns $P-vm4 iperf3 -s -1 -p 5301 >/dev/null 2>&1 &
sleep 0.3
in_ns $P-vm2 iperf3 -c 10.0.0.4 -p 5301 -u -b 0 -l 1200 -t 5 --json > "$OUT/peak-udp.json" 2>&1 || true
peak=$(jq -r '.end.sum_received.bits_per_second // .end.sum.bits_per_second // 0 | floor' "$OUT/peak-udp.json")
(( peak > 0 )) || die "no peak UDP rate (see $OUT/peak-udp.json)"
UDP_RATE=$(( peak / 2 ))
log "peak UDP vm2 -> vm4: $(( peak / 1000000 )) Mbit/s; the soak sends $(( UDP_RATE / 1000000 )) Mbit/s"

# ---- the soak
sample() { # $1 t, $2 full|-: "t fds threads rss_kib heap_kib"
  # A full collection stops the switch loop (70-80 ms with this heap): only the first and the last sample force one
  # (heap after a full GC, the figure compared); the others read the heap in use as it is, so that sampling does not
  # cost the UDP stream a datagram every SAMPLE s
  local fds threads rss heap
  fds=$(ls /proc/$JPID/fd 2>/dev/null | wc -l)
  threads=$(awk '/^Threads:/ { print $2 }' /proc/$JPID/status 2>/dev/null)
  rss=$(awk '/^VmRSS:/ { print $2 }' /proc/$JPID/status 2>/dev/null)
  [[ $2 == full ]] && { jcmd $JPID GC.run >/dev/null 2>&1 || true; }
  heap=$(jcmd $JPID GC.heap_info 2>/dev/null | awk '/garbage-first heap|ZHeap|heap/ { for (i = 1; i <= NF; i++) if ($i == "used") {
    v = $(i + 1); gsub(/[^0-9KMG]/, "", v); n = v + 0; u = substr(v, length(v));
    print (u == "G" ? n * 1048576 : u == "M" ? n * 1024 : n); exit } }' || true)
  echo "$1 ${fds:-0} ${threads:-0} ${rss:-0} ${heap:-0}"
}
where_lost() { # "tap switch far receiver": the drop counters a lost UDP datagram can be in, so far
  # vm2's tap TX dropped: its queue to vxswitch was full (the switch loop did not read in time); vxswitch's drops of
  # every reason on every port (TCP's, the mover's and the churn port's included); hostB's underlay, vxlan and vm4's
  # veth drops (the far VTEP's softirq); vm4's UDP receive buffer errors (iperf3's receiver did not read in time)
  local tap sw far rcv
  tap=$(ip -n $P-vm2 -s -j link show vm2 2>/dev/null | jq '.[0].stats64.tx.dropped // 0' 2>/dev/null)
  sw=$(api "http://$API/api/v1/stats" | jq '[.[] | .drops | to_entries[] | .value] | add // 0' 2>/dev/null)
  far=$(for d in ul0 vxlan119 v4; do ip -n $B -s -j link show $d 2>/dev/null \
    | jq '.[0].stats64.rx.dropped + .[0].stats64.tx.dropped' 2>/dev/null; done | awk '{ s += $1 } END { print s + 0 }')
  rcv=$(ip netns exec $P-vm4 awk '/^Udp:/ && $2 ~ /^[0-9]+$/ { print $6 }' /proc/net/snmp)
  echo "${tap:-0} ${sw:-0} ${far:-0} ${rcv:-0}"
}
# jcmd's first attach starts the JVM's attach listener (a thread and a socket): before the first sample, not in it
jcmd $JPID VM.uptime >/dev/null 2>&1 || true
in_ns $P-vm3 iperf3 -s -1 -p 5201 >/dev/null 2>&1 & PIDS+=($!)
in_ns $P-vm4 iperf3 -s -1 -p 5202 >/dev/null 2>&1 & PIDS+=($!)
sleep 0.3
where_lost > "$OUT/lost0.txt"
start=$(date +%s)
in_ns $P-vm1 iperf3 -c 10.0.0.3 -p 5201 -t "$DURATION" -b "$TCP_RATE" --json > "$OUT/tcp.json" 2>&1 & TCP=$!
in_ns $P-vm2 iperf3 -c 10.0.0.4 -p 5202 -u -b "$UDP_RATE" -l 1200 -t "$DURATION" --json > "$OUT/udp.json" 2>&1 & UDP=$!
PIDS+=($TCP $UDP)
MOVER_POLLER=()
# the mover: MAC 02:00:00:00:0a:0a says hello from n1, MOVE s later from n2, and back (the switch learns it anew)
in_ns $P-nested $PY - "$MOVE" <<'EOF' > "$OUT/mover.log" 2>&1 & PIDS+=($!)
import socket, sys, time
frame = bytes.fromhex("ffffffffffff" "02000000" "0a0a" "88b5") + b"soak: a MAC that moves".ljust(46, b"\0")
socks = []
for dev in ("n1", "n2"):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((dev, 0))
    socks.append(s)
moves = 0
while True:
    socks[moves % 2].send(frame)
    moves += 1
    print(moves, flush=True)
    time.sleep(float(sys.argv[1]))
EOF
MOVER_POLLER+=($!)
# the poller: what an operator's dashboard and scripts would ask, every second
( while :; do
    for path in fdb stats ports tunnels switch; do api "http://$API/api/v1/$path" >/dev/null || echo "$(date +%T) $path failed"; done
    api "http://$API/metrics" >/dev/null || echo "$(date +%T) metrics failed"
    sleep 1
  done ) > "$OUT/poller.log" 2>&1 & PIDS+=($!); MOVER_POLLER+=($!)

reloads=0 failed=0 next_reload=$((start + RELOAD)) next_sample=$((start + 10)) variant=A alive=1 samples=0
echo "t fds threads rss_kib heap_kib" > "$OUT/samples.txt"
while kill -0 $UDP 2>/dev/null || kill -0 $TCP 2>/dev/null; do
  now=$(date +%s)
  kill -0 $DAEMON_PID 2>/dev/null || { alive=0; log "the daemon died at t=$((now - start)) s"; break; }
  if (( now >= next_reload )); then
    variant=$([[ $variant == A ]] && echo B || echo A)
    cp "$OUT/vx-$variant.yaml" "$OUT/vx.yaml.new" && mv "$OUT/vx.yaml.new" "$OUT/vx.yaml"
    if out=$(api -X POST "http://$API/api/v1/config/reload" 2>&1); then reloads=$((reloads + 1))
    else failed=$((failed + 1)); echo "$(date +%T) reload to $variant failed: $out" >> "$OUT/reloads.log"; fi
    echo "$(date +%T) $variant $out" >> "$OUT/reloads.log"
    next_reload=$((next_reload + RELOAD))
  fi
  if (( now >= next_sample )); then
    sample $((now - start)) "$( (( samples == 0 )) && echo full || echo -)" >> "$OUT/samples.txt"
    samples=$((samples + 1)); next_sample=$((next_sample + SAMPLE))
  fi
  sleep 0.5
done
wait $TCP $UDP 2>/dev/null || true
kill "${MOVER_POLLER[@]}" 2>/dev/null || true
(( alive )) && where_lost > "$OUT/lost1.txt"
# the first sample followed the first reload (to B): the last is taken with B's ports too, so that they compare
if (( alive )) && [[ $variant == A ]]; then
  cp "$OUT/vx-B.yaml" "$OUT/vx.yaml" && api -X POST "http://$API/api/v1/config/reload" >> "$OUT/reloads.log" 2>&1 \
    && reloads=$((reloads + 1)) || failed=$((failed + 1))
fi
(( alive )) && sample $(( $(date +%s) - start )) full >> "$OUT/samples.txt"

# ---- the daemon stops as a service manager would stop it
exit_status=dead stop_ms=-
if (( alive )) && kill -0 $DAEMON_PID 2>/dev/null; then
  t0=$(date +%s%N); kill -TERM $DAEMON_PID
  if wait $DAEMON_PID; then exit_status=0; else exit_status=$?; fi
  stop_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
fi
DAEMON_PID=

# ---- results
tcp=$(jq -r '"\(.end.sum_received.bits_per_second / 1e6 | floor) Mbit/s, \(.end.sum_sent.retransmits) retransmits"' "$OUT/tcp.json" 2>/dev/null || echo "failed")
udp=$(jq -r '"\(.end.sum.lost_packets)/\(.end.sum.packets) lost (\(.end.sum.lost_percent * 1000 | round / 1000) %)"' "$OUT/udp.json" 2>/dev/null || echo "failed")
moves=$(tail -n 1 "$OUT/mover.log" 2>/dev/null || echo 0)
lost="-"
if [[ -f $OUT/lost1.txt ]]; then
  read -r t0 s0 f0 r0 < "$OUT/lost0.txt"; read -r t1 s1 f1 r1 < "$OUT/lost1.txt"
  lost="tap queue $((t1 - t0)), switch $((s1 - s0)), far VTEP $((f1 - f0)), receiver buffer $((r1 - r0))"
fi
first=$(sed -n 2p "$OUT/samples.txt"); last=$(tail -n 1 "$OUT/samples.txt")
read -r _ fd0 th0 rss0 heap0 <<< "$first"; read -r _ fd1 th1 rss1 heap1 <<< "$last"
growth() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f %%", (a > 0 ? (b - a) * 100 / a : 0) }'; }
flat() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > 0 && (b - a) * 100 / a <= 5) }'; }
exceptions=$(grep -c -E "Exception|internal error" "$OUT/vxswitch.log" || true)
poll_failures=$(grep -c failed "$OUT/poller.log" || true)
{ echo "machine: $(getconf _NPROCESSORS_ONLN) CPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r); vxswitch $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "soak: $DURATION s, a reload every $RELOAD s, a MAC move every $MOVE s, the API polled every second"
  echo "crashes: $([[ $alive == 1 ]] && echo 0 || echo 1); exit on SIGTERM: $exit_status after $stop_ms ms; exceptions in the log: $exceptions"
  echo "reloads: $reloads applied, $failed failed; MAC moves sent: $moves; API polls failed: $poll_failures"
  echo "TCP vm1 -> vm3 at $TCP_RATE: $tcp"
  echo "UDP vm2 -> vm4 at $(( UDP_RATE / 1000000 )) Mbit/s (half of the $(( peak / 1000000 )) Mbit/s peak): $udp"
  echo "  where datagrams were dropped (counters over the load; the switch's include every port's drops): $lost"
  echo "first sample (t=$(echo "$first" | cut -d' ' -f1) s) -> last (t=$(echo "$last" | cut -d' ' -f1) s):"
  echo "  file descriptors $fd0 -> $fd1 ($(growth "$fd0" "$fd1")); threads $th0 -> $th1 ($(growth "$th0" "$th1"))"
  echo "  heap after GC $((heap0 / 1024)) -> $((heap1 / 1024)) MiB ($(growth "$heap0" "$heap1")); RSS $((rss0 / 1024)) -> $((rss1 / 1024)) MiB ($(growth "$rss0" "$rss1"))"
} | tee "$OUT/results.txt" >&2

if [[ $CHECK == 1 ]]; then
  [[ $alive == 1 ]] || die "the daemon died during the soak (log: $OUT/vxswitch.log)"
  [[ $exit_status == 0 ]] || die "the daemon exited $exit_status on SIGTERM"
  (( failed == 0 )) || die "$failed reloads failed ($OUT/reloads.log)"
  flat "$fd0" "$fd1" || die "file descriptors grew more than 5 %: $fd0 -> $fd1"
  flat "$th0" "$th1" || die "threads grew more than 5 %: $th0 -> $th1"
  log "soak passed"
fi
