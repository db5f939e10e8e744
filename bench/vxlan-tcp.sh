#!/usr/bin/env bash
# bench/vxlan-tcp.sh - end to end: vxswitch against a Linux bridge + kernel vxlan, on the same namespaces.
#
#   vm1 10.0.0.1 --+ hostA: (A) vxswitch, vm1 on a TAP port           hostB: br0 + vxlan119 --+-- vm3 10.0.0.3
#                  |        (B) Linux bridge br0 + kernel vxlan119           (the same in A and B)
#                  +-- ul0 192.0.2.1 <======== veth ========> ul0 192.0.2.2
#
# In one run, alternating A B A B ... (PAIRS pairs): per phase, hostA's side is built, warmed up (ping and a
# 2 s TCP run, not recorded), then measured vm1 -> vm3:
#   TCP  iperf3, 1 stream, SECS s                         -> Gbit/s at the receiver, retransmits
#   UDP  iperf3 -u -l 18 -b 0, SECS s (60-byte frames)    -> packets/s received by iperf3 (and sent, loss),
#        "fwd pps": packets/s hostA's switch put on the underlay (hostB's ul0 rx counter), and "rcvbuf": datagrams
#        vm3's socket dropped because the receiving iperf3 did not get the CPU to read them
# and hostA's side is torn down (vxswitch stopped, its tap goes with it; or br0/vxlan119/veth deleted), so
# vxswitch and the kernel VTEP never compete for UDP 192.0.2.1:4789. Prints each figure, the medians and A/B.
#
# Offloads: off (tx rx gso tso gro) on every veth, in both scenarios. vxswitch's tunnel reads a UDP socket, which
# would get the kernel VTEP's VXLAN packets with inner TCP checksums left unfinished for a NIC a veth does not
# have; with offloads off both paths carry real <= 1500-byte frames with finished checksums (the lab's
# "kernel bridge + vxlan, tx offload off" baseline, not its 64 KB-GSO 30 Gbit/s figure). VM MTU 1450.
#
# usage: sudo bench/vxlan-tcp.sh          env: PAIRS=3 SECS=5 OUT=DIR (raw iperf3 JSON; default a new /tmp dir)
#                                              THREADS=1|2 (vxswitch's switch.threads; default: its own choice)
# needs: root, iproute2, ethtool, iperf3, python3, the jar (mvn -DskipTests -pl vxswitch-app -am install)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/find-jdk.sh"
JAR="$root/vxswitch-app/target/vxswitch.jar"
PAIRS=${PAIRS:-3}
THREADS=${THREADS:-}
SECS=${SECS:-5}
PY=${PY:-python3}
OUT=${OUT:-$(mktemp -d /tmp/vxlan-tcp.XXXXXX)}
mkdir -p "$OUT"

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
[[ $EUID -eq 0 ]] || die "must run as root (network namespaces, TAP devices)"
for c in ip ethtool iperf3 "$PY"; do command -v "$c" >/dev/null || die "missing '$c'"; done
[[ -f $JAR ]] || die "no $JAR: build it first (mvn -q -B -DskipTests -pl vxswitch-app -am install)"

ID=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
HA=vxb-$ID-hostA HB=vxb-$ID-hostB VM1=vxb-$ID-vm1 VM3=vxb-$ID-vm3
NSS=($HA $HB $VM1 $VM3)
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
  log "cleaned up (namespaces vxb-$ID-*); raw results in $OUT"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

offloads_off() { ip netns exec "$1" ethtool -K "$2" tx off rx off gso off tso off gro off >/dev/null; }

# ---- the constant part: underlay, hostB (Linux bridge + kernel vxlan119), vm3
for n in "${NSS[@]}"; do
  ip netns add "$n"; ip -n "$n" link set lo up
  ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip -n $HA link add ul0 type veth peer name ul0 netns $HB
ip -n $HA addr add 192.0.2.1/24 dev ul0; ip -n $HA link set ul0 up
ip -n $HB addr add 192.0.2.2/24 dev ul0; ip -n $HB link set ul0 up
offloads_off $HA ul0; offloads_off $HB ul0
ip -n $HB link add br0 type bridge mcast_snooping 0; ip -n $HB link set br0 up
ip -n $HB link add vxlan119 type vxlan id 119 local 192.0.2.2 remote 192.0.2.1 dstport 4789 dev ul0
ip -n $HB link set vxlan119 master br0; ip -n $HB link set vxlan119 up
ip -n $VM3 link add eth0 address 02:00:00:00:00:03 mtu 1450 type veth peer name vm3 mtu 1450 netns $HB
ip -n $VM3 addr add 10.0.0.3/24 dev eth0; ip -n $VM3 link set eth0 up
ip -n $HB link set vm3 master br0; ip -n $HB link set vm3 up
offloads_off $VM3 eth0; offloads_off $HB vm3

cat > "$OUT/hostA.yaml" <<EOF
switch: {name: bench-hostA${THREADS:+, threads: $THREADS}}
portGroups:
  - {name: vlan119, vlan: 119}
ports:
  - {name: vm1, type: tap, portGroup: vlan119, mac: "02:00:00:00:00:01", mtu: 1450}
tunnels:
  - {name: vx119, vni: 119, vlan: 119, local: 192.0.2.1, remotes: [192.0.2.2], port: 4789}
api: off
EOF

up_A() { # vxswitch in hostA; its tap vm1 moved into vm1's namespace
  ip netns exec $HA "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR" run \
    --config "$OUT/hostA.yaml" >"$OUT/vxswitch-$1.log" 2>&1 &
  DAEMON_PID=$!
  local i
  for i in $(seq 1 100); do grep -q "port vx119" "$OUT/vxswitch-$1.log" && break; sleep 0.1; done
  grep -q "port vx119" "$OUT/vxswitch-$1.log" || { cat "$OUT/vxswitch-$1.log" >&2; die "vxswitch did not start"; }
  ip -n $HA link set vm1 netns $VM1
  ip -n $VM1 link set vm1 address 02:00:00:00:00:01
  ip -n $VM1 addr add 10.0.0.1/24 dev vm1; ip -n $VM1 link set vm1 up
}
down_A() {
  kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID" 2>/dev/null || true; DAEMON_PID=
}
up_B() { # Linux bridge + kernel vxlan in hostA; vm1 on a veth
  ip -n $HA link add br0 type bridge mcast_snooping 0; ip -n $HA link set br0 up
  ip -n $HA link add vxlan119 type vxlan id 119 local 192.0.2.1 remote 192.0.2.2 dstport 4789 dev ul0
  ip -n $HA link set vxlan119 master br0; ip -n $HA link set vxlan119 up
  ip -n $VM1 link add eth0 address 02:00:00:00:00:01 mtu 1450 type veth peer name vm1 mtu 1450 netns $HA
  ip -n $VM1 addr add 10.0.0.1/24 dev eth0; ip -n $VM1 link set eth0 up
  ip -n $HA link set vm1 master br0; ip -n $HA link set vm1 up
  offloads_off $VM1 eth0; offloads_off $HA vm1
}
down_B() {
  ip -n $VM1 link del eth0; ip -n $HA link del vxlan119; ip -n $HA link del br0
}

# iperf JSON_OUT client-args... : one-shot server in vm3, client in vm1
iperf() {
  local out=$1 spid i; shift
  ip netns exec $VM3 iperf3 -s -1 -B 10.0.0.3 >"$out.server.log" 2>&1 &
  spid=$!
  for i in $(seq 1 50); do ip netns exec $VM3 ss -ltn 2>/dev/null | grep -q ":5201 " && break; sleep 0.1; done
  timeout $((SECS + 30)) ip netns exec $VM1 iperf3 -c 10.0.0.3 --json "$@" >"$out" 2>"$out.err" || true
  for i in $(seq 1 30); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
  kill "$spid" 2>/dev/null || true; wait "$spid" 2>/dev/null || true
}
# Where small packets go: what hostA's switch put on the underlay (hostB ul0 rx packets), and what vm3's
# receiving socket dropped because iperf3 did not read it in time (a CPU-starved receiver, not the switch)
ul_rx() { ip netns exec $HB cat /sys/class/net/ul0/statistics/rx_packets; }
rcvbuf_errors() {
  ip netns exec $VM3 awk '$1 == "Udp:" { if (!h) { for (i = 2; i <= NF; i++) if ($i == "RcvbufErrors") c = i; h = 1 }
    else print $c }' /proc/net/snmp
}
# metric JSON -> "tcp GBITS RETRANSMITS" | "udp RX_PPS TX_PPS LOSS%" | "error ..."
metric() {
  "$PY" - "$1" <<'EOF'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print("error", type(e).__name__); sys.exit(0)
if "error" in d: print("error", d["error"].replace(" ", "_")); sys.exit(0)
e, ts = d["end"], d["start"]["test_start"]
if ts["protocol"] == "TCP":
    print("tcp %.3f %d" % (e["sum_received"]["bits_per_second"] / 1e9, e["sum_sent"].get("retransmits", 0)))
else:
    r, s = e["sum_received"], e["sum_sent"]
    rx_pps = r["bytes"] / ts["blksize"] / r["seconds"]   # received = bytes / datagram size
    print("udp %.0f %.0f %.1f" % (rx_pps, s["packets"] / s["seconds"], r["lost_percent"]))
EOF
}

{
  echo "date:    $(date -u +%FT%TZ)"
  echo "kernel:  $(uname -r)"
  echo "cpu:     $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "java:    $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "iperf3:  $(iperf3 --version | head -1)"
  echo "commit:  $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- \
    '*/src/main/*' '*pom.xml' 2>/dev/null || echo ' (main code or poms changed since)')"
  echo "run:     PAIRS=$PAIRS SECS=$SECS, offloads off on every veth, VM MTU 1450, vxswitch threads ${THREADS:-default}"
  echo "loadavg: $(cut -d' ' -f1-3 /proc/loadavg) (before)"
} | tee "$OUT/env.txt" >&2

ROW='%-4s %-22s %9s %8s %11s %11s %11s %7s %10s\n'
printf "$ROW" pair scenario "TCP Gb/s" retrans "UDP rx pps" "sent pps" "fwd pps" loss% "rcvbuf" | tee "$OUT/runs.txt"
for pair in $(seq 1 "$PAIRS"); do
  for s in A B; do
    "up_$s" "$pair"
    ok=0
    for i in 1 2 3 4 5; do ip netns exec $VM1 ping -c 1 -W 1 10.0.0.3 >/dev/null 2>&1 && { ok=1; break; }; done
    [[ $ok == 1 ]] || die "scenario $s: vm1 cannot ping vm3"
    iperf "$OUT/warmup-$s-$pair.json" -t 2
    iperf "$OUT/tcp-$s-$pair.json" -t "$SECS"
    ul0=$(ul_rx); rcv=$(rcvbuf_errors)
    iperf "$OUT/udp-$s-$pair.json" -t "$SECS" -u -l 18 -b 0
    fwd=$(( ($(ul_rx) - ul0) / SECS )); rcv=$(( $(rcvbuf_errors) - rcv ))
    t=($(metric "$OUT/tcp-$s-$pair.json")); u=($(metric "$OUT/udp-$s-$pair.json"))
    name=$([[ $s == A ]] && echo "A vxswitch" || echo "B bridge+kernel")
    printf "$ROW" "$pair" "$name" "${t[1]:-?}" "${t[2]:-?}" "${u[1]:-?}" "${u[2]:-?}" "$fwd" "${u[3]:-?}" "$rcv" \
      | tee -a "$OUT/runs.txt"
    echo "$s ${t[*]} ${u[*]} $fwd $rcv" >> "$OUT/metrics.txt"
    "down_$s"
  done
done
echo "loadavg: $(cut -d' ' -f1-3 /proc/loadavg) (after)" | tee -a "$OUT/env.txt" >&2

"$PY" - "$OUT/metrics.txt" <<'EOF' | tee "$OUT/summary.txt"
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def col(s, i):
    return [float(r[i]) for r in rows if r[0] == s and r[1] == "tcp" and r[4] == "udp"]
print()
for what, i, fmt in (("TCP Gbit/s", 2, "%.3f"), ("UDP 18 B rx pps", 5, "%.0f"), ("UDP fwd pps", 8, "%.0f")):
    a, b = col("A", i), col("B", i)
    if not a or not b:
        print(what, ": missing runs"); continue
    ma, mb = statistics.median(a), statistics.median(b)
    pairs = ", ".join("%.2f" % (x / y) for x, y in zip(a, b) if y)
    print(("%-16s median A (vxswitch) " + fmt + "  [" + fmt + " - " + fmt + "]   median B (kernel) " + fmt
           + "  [" + fmt + " - " + fmt + "]   A/B %.3f   per pair: %s")
          % (what, ma, min(a), max(a), mb, min(b), max(b), ma / mb, pairs))
EOF
