#!/usr/bin/env bash
# bench/mac-flood.sh - a MAC flood from one vNIC port: MACS (10^6) broadcast frames, each from a new source MAC, sent by
# trafgen (netsniff-ng) from a guest, while vm1 pings vm2 and a third VM stays quiet. Against vxswitch twice and the
# Linux bridge once, on the same namespaces:
#
#   [vm1 10.0.0.1]----+
#   [vm2 10.0.0.2]----+-- host: (L) vxswitch, fdbCapacity CAP, guest's port group limit LIMIT, limitPolicy drop
#   [quiet 10.0.0.3]--+         (F) vxswitch, fdbCapacity FULL_CAP < LIMIT: the table fills, eviction decides
#   [guest, trafgen]--+         (B) Linux bridge br0, default settings (no limit: it learns every MAC)
#
# vxswitch's VMs are on taps with learned MACs (no mac: in the config), the bridge's on veths. Per scenario:
#   flood     trafgen -n MACS, MACs 0a:00:00:00:00:00 + 0 .. MACS-1, once each; its time and rate (a tap takes frames
#             only as fast as the switch reads them, so on vxswitch the rate is the switch's)
#   ping      vm1 -> vm2 in rounds of 100 (-i 0.01) for as long as the flood runs: echo replies vm1's stack received of
#             the requests it sent (late ones too), ping's average and worst round trip
#   table     entries per port after the flood; whether vm1's, vm2's and the quiet VM's MACs are still on their ports
#   memory    vxswitch: heap after a full GC (jcmd GC.run, GC.heap_info) and VmRSS, before and after; its CPU time
#             during the flood. Bridge: the kernel's unreclaimable slab (SUnreclaim, /proc/meminfo) before and after:
#             machine-wide, so other processes' allocations are in it too; and how long listing its table takes
# usage: sudo bench/mac-flood.sh     env: MACS=1000000 CAP=8192 LIMIT=4096 FULL_CAP=2048 SCENARIOS="L F B" OUT=DIR
# needs: root, iproute2, trafgen (netsniff-ng), python3, curl, the jar (mvn -B -DskipTests -pl vxswitch-app -am package)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/find-jdk.sh"
JAR="$root/vxswitch-app/target/vxswitch.jar"
MACS=${MACS:-1000000}
CAP=${CAP:-8192}
LIMIT=${LIMIT:-4096}
FULL_CAP=${FULL_CAP:-2048}
SCENARIOS=${SCENARIOS:-L F B}
PY=${PY:-python3}
OUT=${OUT:-$(mktemp -d /tmp/mac-flood.XXXXXX)}
mkdir -p "$OUT"

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
[[ $EUID -eq 0 ]] || die "must run as root (network namespaces, TAP devices)"
for c in ip bridge trafgen curl "$PY"; do command -v "$c" >/dev/null || die "missing '$c'"; done
[[ -f $JAR ]] || die "no $JAR: build it first (mvn -B -DskipTests -pl vxswitch-app -am package)"
(( MACS >= 1 && MACS <= 16777216 )) || die "MACS must be 1 .. 2^24"

ID=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
HOST=mf-$ID-host VM1=mf-$ID-vm1 VM2=mf-$ID-vm2 QUIET=mf-$ID-quiet GUEST=mf-$ID-guest
NSS=($HOST $VM1 $VM2 $QUIET $GUEST)
TOKEN=$OUT/api.token
DAEMON_PID=

ns_kill() { # every process still in namespace $1, by PID: TERM, then KILL
  local p pids i
  pids=$(ip netns pids "$1" 2>/dev/null || true); [[ -z $pids ]] && return 0
  for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
  for i in $(seq 1 20); do [[ -z $(ip netns pids "$1" 2>/dev/null || true) ]] && return 0; sleep 0.1; done
  for p in $(ip netns pids "$1" 2>/dev/null || true); do kill -KILL "$p" 2>/dev/null || true; done
}
cleanup() {
  local rc=$? n
  trap - EXIT INT TERM
  [[ -n $DAEMON_PID ]] && kill -TERM "$DAEMON_PID" 2>/dev/null || true
  for n in "${NSS[@]}"; do ns_kill "$n"; ip netns del "$n" 2>/dev/null || true; done
  log "cleaned up (namespaces mf-$ID-*); raw results in $OUT"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for n in "${NSS[@]}"; do
  ip netns add "$n"; ip -n "$n" link set lo up
  ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done

declare -A MAC=([vm1]=02:00:00:00:00:01 [vm2]=02:00:00:00:00:02 [quiet]=02:00:00:00:00:03 [guest]=02:00:00:00:00:0f)
declare -A IPS=([vm1]=10.0.0.1/24 [vm2]=10.0.0.2/24 [quiet]=10.0.0.3/24)
declare -A NS=([vm1]=$VM1 [vm2]=$VM2 [quiet]=$QUIET [guest]=$GUEST)
declare -A R # results: R[scenario.key]

vm_nic() { # $1 vm, $2 its device in its namespace: MAC, address, up
  local ns=${NS[$1]}
  ip -n "$ns" link set "$2" address "${MAC[$1]}"
  [[ -n ${IPS[$1]:-} ]] && ip -n "$ns" addr add "${IPS[$1]}" dev "$2"
  ip -n "$ns" link set "$2" up
}

cli() { ip netns exec $HOST "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR" "$@" --token-file="$TOKEN"; }
ticks() { awk '{print $14 + $15}' "/proc/$DAEMON_PID/stat"; } # utime + stime, in USER_HZ (100/s)
jvm_mem() { # "heapKiB rssKiB" of the daemon, after a full GC
  "$JAVA_HOME/bin/jcmd" "$DAEMON_PID" GC.run >/dev/null
  local heap rss
  heap=$("$JAVA_HOME/bin/jcmd" "$DAEMON_PID" GC.heap_info | awk '/^ ?[a-z].*used [0-9]+K/ && !/Metaspace|class space/ {
    for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); s += v } } END { print s }')
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$DAEMON_PID/status")
  echo "$heap $rss"
}

# Frames vm1's and vm2's NICs dropped on their way into the switch so far: what their queue could not hold while the
# switch did not read (tx dropped; rx dropped counts the flood's frames, which no stack takes). $1: their device, or
# "tap" for a tap named after the VM.
nic_drops() {
  local v n=0 dev
  for v in vm1 vm2; do
    dev=$1; [[ $dev == tap ]] && dev=$v
    n=$((n + $(ip -n "${NS[$v]}" -s -j link show dev "$dev" | "$PY" -c 'import json,sys
print(json.load(sys.stdin)[0]["stats64"]["tx"]["dropped"])')))
  done
  echo $n
}

# "echo requests sent, echo replies received" by vm1's stack (Icmp OutEchos, InEchoReps; /proc/net/snmp is per namespace)
echoes() {
  ip netns exec $VM1 awk '/^Icmp: [A-Z]/ { for (i = 2; i <= NF; i++) col[$i] = i; next }
    /^Icmp: [0-9]/ { print $col["OutEchos"], $col["InEchoReps"] }' /proc/net/snmp
}

# The flood, with vm1 pinging vm2 in rounds of 100 until it is over. Sets R[$1.*].
flood() {
  local s=$1 dev=$2 nic=$3 t0 t1 rounds=0 sent=0 recv=0 maxrtt=0 sumavg=0 out d0 e0 e1
  d0=$(nic_drops "$nic"); e0=$(echoes)
  t0=$(date +%s.%N)
  ( ip netns exec $GUEST trafgen --cpus 1 --no-sock-mem --notouch-irq -o "$dev" -n "$MACS" \
      "{ eth(da=ff:ff:ff:ff:ff:ff, sa=0a:00:00:00:00:00, sa=dinc(0, $((MACS - 1))), type=0x88b5), fill(0, 46) }" \
      > "$OUT/$s-trafgen.log" 2>&1
    rc=$?; date +%s.%N > "$OUT/$s-trafgen.end"; exit $rc ) &
  local tg=$!
  while kill -0 $tg 2>/dev/null; do
    out=$(ip netns exec $VM1 ping -n -q -c 100 -i 0.01 -W 2 10.0.0.2 2>&1 || true)
    echo "$out" >> "$OUT/$s-ping.log"
    rounds=$((rounds + 1))
    read -r avg max < <(echo "$out" | awk -F'[/ ]+' '/^rtt/ {print $8, $9}')
    sumavg=$(echo "$sumavg + ${avg:-0}" | bc -l)
    maxrtt=$(echo "m = $maxrtt; x = ${max:-0}; if (x > m) x else m" | bc -l)
  done
  wait $tg || die "trafgen failed: $(cat "$OUT/$s-trafgen.log")"
  t1=$(cat "$OUT/$s-trafgen.end") # when the last frame was taken, not when the last ping round ended
  R[$s.secs]=$(printf '%.1f' "$(echo "$t1 - $t0" | bc -l)")
  R[$s.rate]=$(printf '%.0f' "$(echo "$MACS / ($t1 - $t0)" | bc -l)")
  R[$s.sent]=$(awk '/packets outgoing/ {print $1}' "$OUT/$s-trafgen.log")
  # ping gives up two of its slowest round trips after its last request and calls a later reply lost: count the
  # replies vm1's stack got instead, waiting up to 10 s for late ones
  for _ in $(seq 1 50); do
    e1=$(echoes); sent=$(( ${e1% *} - ${e0% *} )); recv=$(( ${e1#* } - ${e0#* } ))
    (( recv >= sent )) && break; sleep 0.2
  done
  R[$s.ping]="$recv/$sent"
  R[$s.nicdrops]=$(( $(nic_drops "$nic") - d0 ))
  R[$s.rtt]=$(printf '%.1f / %.1f' "$(echo "$sumavg / $rounds" | bc -l)" "$maxrtt")
}

# vxswitch with fdbCapacity $2 and the guest's port group limited to $3 MACs (limitPolicy drop).
vxswitch_scenario() {
  local s=$1 cap=$2 limit=$3 v m0 m1 c0 c1
  log "$s: vxswitch, fdbCapacity $cap, guest limit $limit"
  cat > "$OUT/$s.yaml" <<EOF
switch: {name: mac-flood, fdbCapacity: $cap}
api: {tokenFile: "$TOKEN"}
portGroups:
  - {name: lan, vlan: 0, security: {forgedTransmits: accept}, macLearning: {enabled: true}}
  - {name: guest, vlan: 0, security: {forgedTransmits: accept}, macLearning: {enabled: true, limit: $limit, limitPolicy: drop}}
ports:
  - {name: vm1, type: tap, portGroup: lan}
  - {name: vm2, type: tap, portGroup: lan}
  - {name: quiet, type: tap, portGroup: lan}
  - {name: guest, type: tap, portGroup: guest}
EOF
  ip netns exec $HOST "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR" run \
    --config "$OUT/$s.yaml" > "$OUT/$s-vxswitch.log" 2>&1 &
  DAEMON_PID=$!
  for _ in $(seq 1 300); do grep -q "management API on" "$OUT/$s-vxswitch.log" && break; sleep 0.1; done
  grep -q "management API on" "$OUT/$s-vxswitch.log" || die "vxswitch did not start: $(cat "$OUT/$s-vxswitch.log")"
  for v in vm1 vm2 quiet guest; do ip -n $HOST link set "$v" netns "${NS[$v]}"; vm_nic "$v" "$v"; done
  ip netns exec $VM1 ping -n -q -c 3 -i 0.2 10.0.0.2 >/dev/null || die "$s: vm1 cannot ping vm2"
  ip netns exec $VM1 ping -n -q -c 3 -i 0.2 10.0.0.3 >/dev/null || die "$s: vm1 cannot ping quiet"
  m0=$(jvm_mem); c0=$(ticks)
  flood "$s" guest tap
  c1=$(ticks); m1=$(jvm_mem)
  R[$s.cpu]=$(printf '%.1f' "$(echo "($c1 - $c0) / 100" | bc -l)")
  R[$s.heap]="$(( ${m0% *} / 1024 )) -> $(( ${m1% *} / 1024 ))"
  R[$s.heapkib]="${m0% *} -> ${m1% *}"
  R[$s.rss]="$(( ${m0#* } / 1024 )) -> $(( ${m1#* } / 1024 ))"
  cli fdb show --json > "$OUT/$s-fdb.json"
  cli stats --json > "$OUT/$s-stats.json"
  ip netns exec $HOST curl -sS -H "Authorization: Bearer $(cat "$TOKEN")" http://127.0.0.1:7739/metrics \
    > "$OUT/$s-metrics.txt"
  read -r "R[$s.table]" "R[$s.vms]" < <("$PY" - "$OUT/$s-fdb.json" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))
per = {}
where = {}
for r in rows:
    per[r["port"]] = per.get(r["port"], 0) + 1
    where.setdefault(r["mac"], []).append(r["port"])
home = {"02:00:00:00:00:01": "vm1", "02:00:00:00:00:02": "vm2", "02:00:00:00:00:03": "quiet"}
ok = sum(1 for mac, port in home.items() if where.get(mac) == [port])
print(",".join(f"{p}={n}" for p, n in sorted(per.items())) + f"(total={len(rows)})", f"{ok}/3")
EOF
)
  R[$s.rx]=$("$PY" -c 'import json,sys; print(next(p["rxFrames"] for p in json.load(open(sys.argv[1])) if p["port"] == "guest"))' "$OUT/$s-stats.json")
  R[$s.drops]=$("$PY" -c 'import json,sys
print(";".join(p["port"] + ":" + ",".join(f"{k}={v}" for k, v in p.get("drops", {}).items()) for p in json.load(open(sys.argv[1])) if p.get("drops")) or "-")' "$OUT/$s-stats.json")
  R[$s.evicted]=$(awk '/^vxswitch_fdb_evicted_total / {printf "%d", $2}' "$OUT/$s-metrics.txt")
  R[$s.limited]=$(awk '/^vxswitch_fdb_limit_reached_total / {printf "%d", $2}' "$OUT/$s-metrics.txt")
  local t0 t1
  t0=$(date +%s.%N); kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID" || die "$s: vxswitch exited $? after SIGTERM"
  t1=$(date +%s.%N); DAEMON_PID=
  R[$s.stop]=$(printf '%.2f' "$(echo "$t1 - $t0" | bc -l)")
  log "$s: flood ${R[$s.secs]} s (${R[$s.rate]} frames/s), pings ${R[$s.ping]}, table ${R[$s.table]}, VM MACs home ${R[$s.vms]}, heap after GC ${R[$s.heapkib]} KiB, RSS ${R[$s.rss]} MiB"
}

# The Linux bridge with default settings, the VMs on veths.
bridge_scenario() {
  local s=B v k0 k1 t0 t1
  log "$s: Linux bridge br0, default settings"
  ip -n $HOST link add br0 type bridge
  ip -n $HOST link set br0 up
  for v in vm1 vm2 quiet guest; do
    ip -n $HOST link add "$v" type veth peer name eth0 netns "${NS[$v]}"
    ip -n $HOST link set "$v" master br0 up
    vm_nic "$v" eth0
  done
  ip netns exec $VM1 ping -n -q -c 3 -i 0.2 10.0.0.2 >/dev/null || die "$s: vm1 cannot ping vm2"
  ip netns exec $VM1 ping -n -q -c 3 -i 0.2 10.0.0.3 >/dev/null || die "$s: vm1 cannot ping quiet"
  k0=$(awk '/^SUnreclaim:/ {print $2}' /proc/meminfo)
  flood "$s" eth0 eth0
  k1=$(awk '/^SUnreclaim:/ {print $2}' /proc/meminfo)
  R[$s.slab]="$(( k0 / 1024 )) -> $(( k1 / 1024 ))"
  t0=$(date +%s.%N)
  ip netns exec $HOST bridge fdb show br br0 > "$OUT/$s-fdb.txt"
  t1=$(date +%s.%N)
  R[$s.list]=$(printf '%.0f' "$(echo "$t1 - $t0" | bc -l)")
  R[$s.table]="$(grep -vc ' permanent' "$OUT/$s-fdb.txt") learned"
  local ok=0
  for v in vm1 vm2 quiet; do grep -q "^${MAC[$v]} dev $v " "$OUT/$s-fdb.txt" && ok=$((ok + 1)); done
  R[$s.vms]="$ok/3"
  R[$s.rx]=$(ip -n $HOST -s -j link show dev guest | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])')
  for v in vm1 vm2 quiet guest; do ip -n $HOST link del "$v"; done
  ip -n $HOST link del br0
  log "$s: flood ${R[$s.secs]} s (${R[$s.rate]} frames/s), pings ${R[$s.ping]}, table ${R[$s.table]}, VM MACs home ${R[$s.vms]}, SUnreclaim ${R[$s.slab]} MiB, listing it ${R[$s.list]} s"
}

log "machine: $(nproc) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for sc in $SCENARIOS; do
  case $sc in
    L) vxswitch_scenario L "$CAP" "$LIMIT" ;;
    F) vxswitch_scenario F "$FULL_CAP" "$LIMIT" ;;
    B) bridge_scenario ;;
    *) die "unknown scenario $sc (L F B)" ;;
  esac
done

echo
echo "MAC flood: $MACS source MACs from one port; load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-4s %9s %11s %9s %13s %-44s %6s %9s %9s\n' "" "flood s" "frames/s" "pings" "RTT avg/max" "table after (entries per port)" "VMs" "evicted" "refused"
for sc in $SCENARIOS; do
  printf '%-4s %9s %11s %9s %13s %-44s %6s %9s %9s\n' "$sc" "${R[$sc.secs]}" "${R[$sc.rate]}" "${R[$sc.ping]}" \
    "${R[$sc.rtt]}" "${R[$sc.table]}" "${R[$sc.vms]}" "${R[$sc.evicted]:--}" "${R[$sc.limited]:--}"
done
for sc in $SCENARIOS; do
  case $sc in
    L|F) echo "$sc: frames the switch took from the guest ${R[$sc.rx]}; drops ${R[$sc.drops]}; vm1/vm2 NIC tx drops ${R[$sc.nicdrops]}; heap after GC ${R[$sc.heapkib]} KiB; RSS ${R[$sc.rss]} MiB; CPU ${R[$sc.cpu]} s during the flood; exit after SIGTERM ${R[$sc.stop]} s" ;;
    B) echo "B: frames the bridge took from the guest ${R[B.rx]}; vm1/vm2 NIC tx drops ${R[B.nicdrops]}; kernel SUnreclaim ${R[B.slab]} MiB (machine-wide); 'bridge fdb show' took ${R[B.list]} s" ;;
  esac
done
