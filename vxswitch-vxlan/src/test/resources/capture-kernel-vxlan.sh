#!/usr/bin/env bash
# capture-kernel-vxlan.sh - record what the Linux kernel's vxlan device puts on the wire, as test data
# for vxswitch's VXLAN decapsulator and encapsulator (KernelCaptureTest reads the result).
#
#   vm1 10.0.0.1 02:00:00:00:00:01                                 vm3 10.0.0.3 02:00:00:00:00:03
#     eth0 == veth == vm1 -+- br0 + vxlan119 (hostA)     (hostB) vxlan119 + br0 -+- vm3 == veth == eth0
#                          ul0 192.0.2.1/24 <========= veth =========> ul0 192.0.2.2/24
#
# VNI 119, UDP dstport 4789 (given explicitly: the kernel's default without `dstport` is 8472), VM MTU 1450.
# One ping vm1 -> vm3 crosses the tunnel; tcpdump on hostA's ul0 keeps the VXLAN datagrams (ARP request,
# ARP reply, ICMP echo request, echo reply) in classic libpcap format.
#
# Usage: sudo ./capture-kernel-vxlan.sh [OUT.pcap]     (default: kernel-vxlan-ping.pcap beside this script)
#   NOLEARNING=1     create the vxlan devices with `nolearning` (the remote is static, so pings work either way)
#   KEEP_OFFLOADS=1  leave veth TX checksum offload on. Then the kernel hands the veth a CHECKSUM_PARTIAL
#                    packet, and the outer UDP checksum field in the capture holds only the pseudo-header sum
#                    (e.g. 0x844f), not a checksum. By default offload is turned off on both ul0 so the
#                    checksum is completed in software, as a physical NIC would put it on the wire.
#
# Safety: everything lives in four namespaces this script creates (vxcap-*); the veth pairs are created
# inside them and nothing is configured in the root namespace. Addresses 192.0.2.0/24 (TEST-NET-1) and
# 10.0.0.0/24 exist only inside those namespaces. A trap kills tcpdump by its PID and deletes the
# namespaces on every exit, success or failure; leftovers of an interrupted run are removed first.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:-$HERE/kernel-vxlan-ping.pcap}
NS_A=vxcap-hosta NS_B=vxcap-hostb NS_VM1=vxcap-vm1 NS_VM3=vxcap-vm3
ALL_NS=("$NS_VM1" "$NS_VM3" "$NS_A" "$NS_B")
VNI=119 VXPORT=4789 UL_A=192.0.2.1 UL_B=192.0.2.2 VM_MTU=1450
WORK=$(mktemp -d /tmp/vxcap.XXXXXX)
TCPDUMP_PID=

log() { printf '[capture] %s\n' "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

ns_del() {
  local n=$1 p
  ip netns list 2>/dev/null | awk '{print $1}' | grep -qx -- "$n" || return 0
  # Only this script creates vxcap-* namespaces, so whatever runs inside is ours: end it by PID.
  for p in $(ip netns pids "$n" 2>/dev/null || true); do kill -TERM "$p" 2>/dev/null || true; done
  ip netns del "$n" 2>/dev/null || true
}

cleanup() {
  local rc=$? n
  trap - EXIT INT TERM
  if [[ -n $TCPDUMP_PID ]]; then kill -TERM "$TCPDUMP_PID" 2>/dev/null || true; wait "$TCPDUMP_PID" 2>/dev/null || true; fi
  for n in "${ALL_NS[@]}"; do ns_del "$n"; done
  rm -rf "$WORK"
  log "cleaned up namespaces ${ALL_NS[*]} (exit $rc)"
  exit "$rc"
}

[[ $EUID -eq 0 ]] || die "must run as root (creates network namespaces)"
for c in ip tcpdump ping ethtool; do
  command -v "$c" >/dev/null || die "missing '$c': apt-get install -y iproute2 tcpdump iputils-ping ethtool"
done
for n in "${ALL_NS[@]}"; do ns_del "$n"; done   # leftovers of an earlier, interrupted run
trap cleanup EXIT
trap 'exit 130' INT TERM

ns_add() {
  ip netns add "$1"
  ip -n "$1" link set lo up
  # No IPv6: no router/neighbour solicitations or MLD reports in the capture.
  ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}
for n in "${ALL_NS[@]}"; do ns_add "$n"; done

# Underlay: one veth between the two hosts, created inside hostA with its peer moved straight into hostB.
ip -n "$NS_A" link add ul0 type veth peer name ul0 netns "$NS_B"
ip -n "$NS_A" link set ul0 address 02:00:00:00:0a:01
ip -n "$NS_B" link set ul0 address 02:00:00:00:0b:01
ip -n "$NS_A" addr add "$UL_A/24" dev ul0
ip -n "$NS_B" addr add "$UL_B/24" dev ul0
ip -n "$NS_A" link set ul0 up
ip -n "$NS_B" link set ul0 up
if [[ -z ${KEEP_OFFLOADS:-} ]]; then
  ip netns exec "$NS_A" ethtool -K ul0 tx off >/dev/null
  ip netns exec "$NS_B" ethtool -K ul0 tx off >/dev/null
fi

# host NS LOCAL REMOTE MAC_SUFFIX: Linux bridge br0 with a kernel vxlan device as a port.
host() {
  local ns=$1 local_ip=$2 remote_ip=$3 m=$4
  ip -n "$ns" link add br0 type bridge mcast_snooping 0
  ip -n "$ns" link set br0 address "02:00:00:00:$m:02"
  ip -n "$ns" link add "vxlan$VNI" type vxlan id "$VNI" local "$local_ip" remote "$remote_ip" \
    dstport "$VXPORT" dev ul0 ${NOLEARNING:+nolearning}
  ip -n "$ns" link set "vxlan$VNI" address "02:00:00:00:$m:03"
  ip -n "$ns" link set "vxlan$VNI" master br0
  ip -n "$ns" link set "vxlan$VNI" up
  ip -n "$ns" link set br0 up
}
host "$NS_A" "$UL_A" "$UL_B" 0a
host "$NS_B" "$UL_B" "$UL_A" 0b

# vm VM_NS HOST_NS PORT IP MAC: the VM's eth0 is a veth whose other end is a bridge port on the host.
vm() {
  local vm=$1 hostns=$2 port=$3 ip_addr=$4 mac=$5
  ip -n "$vm" link add eth0 type veth peer name "$port" netns "$hostns"
  ip -n "$vm" link set eth0 address "$mac"
  ip -n "$vm" link set eth0 mtu "$VM_MTU"
  ip -n "$hostns" link set "$port" mtu "$VM_MTU"
  ip -n "$vm" addr add "$ip_addr/24" dev eth0
  ip -n "$vm" link set eth0 up
  ip -n "$hostns" link set "$port" master br0
  ip -n "$hostns" link set "$port" up
}
vm "$NS_VM1" "$NS_A" vm1 10.0.0.1 02:00:00:00:00:01
vm "$NS_VM3" "$NS_B" vm3 10.0.0.3 02:00:00:00:00:03

# --immediate-mode: without it, packets wait in a TPACKET_V3 ring block until a timeout, and a tcpdump
# stopped right after the ping may write none of them. -c 4: ARP request/reply, echo request/reply.
ip netns exec "$NS_A" tcpdump -i ul0 -nn -U --immediate-mode -s 0 -c 4 -w "$WORK/capture.pcap" \
  "udp dst port $VXPORT" 2>"$WORK/tcpdump.err" &
TCPDUMP_PID=$!
for _ in $(seq 1 50); do grep -q 'listening on' "$WORK/tcpdump.err" 2>/dev/null && break; sleep 0.1; done
grep -q 'listening on' "$WORK/tcpdump.err" || die "tcpdump did not start: $(cat "$WORK/tcpdump.err")"
sleep 0.5   # let bridge ports reach forwarding state

ip netns exec "$NS_VM1" ping -c 1 -W 2 10.0.0.3 >"$WORK/ping.txt" || die "ping vm1 -> vm3 failed: $(cat "$WORK/ping.txt")"
log "$(grep -E 'transmitted' "$WORK/ping.txt")"
for _ in $(seq 1 50); do kill -0 "$TCPDUMP_PID" 2>/dev/null || break; sleep 0.1; done
kill -INT "$TCPDUMP_PID" 2>/dev/null || true; wait "$TCPDUMP_PID" 2>/dev/null || true; TCPDUMP_PID=
n=$(tcpdump -nn -r "$WORK/capture.pcap" 2>/dev/null | grep -c VXLAN || true)
[[ $n -ge 4 ]] || die "captured $n VXLAN packets, expected 4 (ARP request/reply, ICMP echo request/reply)"

cp "$WORK/capture.pcap" "$OUT"
{
  echo "# $(basename "$OUT"): kernel vxlan capture on hostA:ul0 by $(basename "$0")"
  echo "# kernel $(uname -r); $(ip -V); veth tx checksum offload: $([[ -n ${KEEP_OFFLOADS:-} ]] && echo on || echo off)"
  ip -n "$NS_A" -d link show "vxlan$VNI" | sed 's/^/# /'
  tcpdump -nn -v -e -r "$OUT" 2>/dev/null
} >"${OUT%.pcap}.txt"
log "wrote $OUT ($(stat -c %s "$OUT") bytes, $(tcpdump -nn -r "$OUT" 2>/dev/null | grep -c VXLAN) packets) and ${OUT%.pcap}.txt"
