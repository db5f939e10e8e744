#!/usr/bin/env bash
# bench/vxlan-e2e.sh - end to end across a VXLAN tunnel: vxswitch, the Linux bridge + kernel vxlan, and Open vSwitch's
# userspace datapath, built in turn on the same namespaces and measured in one run.
#
#   vm1 10.0.0.1 --+ hostA: (A) vxswitch, vm1 on a TAP port             hostB: br0 + vxlan119 --+-- vm3 10.0.0.3
#                  |        (B) Linux bridge br0 + kernel vxlan119              (the same for A, B, C)
#                  |        (C) Open vSwitch, datapath_type=netdev: br-int (vm1, vxlan0), br-phy (ul0, 192.0.2.1)
#                  |        (I) vxswitch, vm1 on a veth read by an interface port (AF_PACKET, recvmmsg)
#                  |        (R) vxswitch, vm1 on a veth read by an interface port with a TPACKET_V3 ring
#                  |        (V) vxswitch, vm1 on a veth read by an interface port with the vnet header (offload: true)
#                  |        (O) as A, with the jar BASE_JAR (an older build): before and after a change in one run
#                  +-- ul0 192.0.2.1 <========= veth =========> ul0 192.0.2.2
#
# In one run, PAIRS rounds of the scenarios in SCENARIOS order (A B C A B C ...). Per phase, hostA's side is built,
# warmed up (ping, a 2 s TCP run not recorded), then measured vm1 -> vm3:
#   tcp1   iperf3 TCP, 1 stream, SECS s                    -> Gbit/s at the receiver
#   tcp4   iperf3 TCP, 4 streams (-P 4), SECS s            -> Gbit/s at the receiver
#   tcp1r  iperf3 TCP, 1 stream the other way (-R: vm3 sends to vm1), SECS s -> Gbit/s at vm1
#   udp    two iperf3 UDP senders, 18-byte payloads (60-byte frames), -b 0, SECS s
#          -> "fwd pps": what hostA's switch put on the underlay (hostB ul0 rx packets / SECS)
#          -> "rx pps": what the two receiving iperf3 got
#   rtt    ping -i 0.002 -c 1000 with 56-byte payloads, idle path (2 s after the flood), after 500 pings not
#          recorded (the switch's JIT compiles the ICMP path then, as TCP's in the TCP warm-up) -> p50 and p99 in us
#   rttL   the same while one iperf3 sends 60-byte frames at half this scenario's peak rate above: half of what
#          reached vm3 (rx pps), which is at most what the switch forwarded (fwd pps). Half of fwd pps would
#          overload vm3's side (hostB's softirqs and vm3's iperf3, on the same 2 cores) whenever the switch
#          forwards faster than vm3 takes, and measure that queue instead -> p50 and p99 under load
# and torn down. Prints each figure, the CPU time the hypervisor took from each CPU over the phase ("steal %", from
# /proc/stat: this machine is a VM, and a phase with much stolen is a slow phase), the medians and each scenario's ratio
# to B (the kernel).
#
# Pinning (PIN=1, the default): the switch (vxswitch's JVM; ovs-vswitchd) runs on CPU 1, the traffic generators
# and receivers (iperf3, ping) on CPU 0. The kernel path has no switch process: its work runs in the senders'
# system calls and softirqs, on whichever CPU they land. On a 2-core machine that gives the kernel one more core
# than A and C in effect; the ratios say so by what they are.
#
# Offloads: off (tx rx gso tso gro) on the underlay and on vm3's side, in every scenario: vxswitch's tunnel reads a
# UDP socket and OVS's AF_PACKET ports read frames as the kernel hands them over; with offloads on, both would see
# inner TCP checksums left unfinished for a NIC a veth does not have. VM MTU 1450.
# vm1's own NIC (VM_OFFLOAD=on, the default) has checksum and TCP segmentation offload, as a virtio-net NIC does:
# in A the tap with offload (vxswitch cuts the super-frames for the tunnel), in B vm1's veth with tx/tso/gso on (the
# kernel cuts them at the vxlan device). C keeps vm1's veth offloads off: OVS's userspace datapath reads it with
# AF_PACKET and would get super-frames it cannot take (userspace TSO is off by default). VM_OFFLOAD=off: all off.
# I and R keep vm1's veth offloads off for the same reason (vxswitch's packet socket drops super-frames): compare
# them with B under VM_OFFLOAD=off, e.g. VM_OFFLOAD=off SCENARIOS="I R B". V gives vm1's veth the offloads VM_OFFLOAD
# says, as B does (its packet socket takes super-frames and partial checksums with PACKET_VNET_HDR).
#
# Switch loop (SWITCH_LOOP=busy, with PIN=1): vxswitch's config gets switch.cpu: 1 and poll: busy, so its switch loop
# keeps CPU 1 alone and never sleeps, and the JVM's other threads move to CPU 0 (with the generators).
# SWITCH_LOOP=pinned: switch.cpu: 1 alone, the loop still sleeping in epoll_wait.
# LOOPS=2: switch.loops: 2, one forwarding loop per queue of vm1's tap and per tunnel socket, each transmitting
# itself; the JVM is not pinned (the loops need both CPUs; the generators stay on CPU 0). Interface ports (I, R, V)
# get a packet socket per loop in a PACKET_FANOUT group. Neither SWITCH_LOOP nor THREADS.
#
# usage: sudo bench/vxlan-e2e.sh       env: PAIRS=5 SECS=5 SCENARIOS="A B C" (any of A B C I R V O) THREADS=1|2 PIN=1 VM_OFFLOAD=on OUT=DIR
#                                           BASE_JAR=path/to/vxswitch.jar (for O; e.g. built from the parent commit)
#                                           SWITCH_LOOP=wait|pinned|busy LOOPS=1|2
#                                           TAP_READS=read|io_uring|auto (switch.tapReads of A, not of O: with
#                                           BASE_JAR=JAR, A against O is io_uring against read(2) in one run)
#                                           JAVA_OPTS="..." (extra JVM options for vxswitch; DIR in them is $OUT,
#                                           e.g. JAVA_OPTS='-Xlog:gc:file=DIR/gc-%p.log' to count collections)
#                                           PROFILE=stat: perf stat of the switch process (vxswitch's JVM, ovs-vswitchd)
#                                           per thread during the 60-byte flood and the half-load pings: system calls,
#                                           context switches and CPU time, per forwarded frame (profile.txt)
#                                           PROFILE=record: that, and an on-CPU profile of the flood (perf record; the
#                                           JVM's symbols from jcmd Compiler.perfmap): perf-SCENARIO-PAIR.txt, and of
#                                           the TCP 1 stream phase: perf-SCENARIO-PAIR-tcp1.txt
#                                           PROFILE=sched: every scheduler event on both CPUs while the half-load pings
#                                           run (perf sched record), as perf sched timehist -w -n --state prints them:
#                                           sched-SCENARIO-PAIR.txt (who ran on the switch's CPU, for how long)
#                                           FAR_RPS=on: hostB's receive from the underlay on the generators' CPU
#                                           (RPS), not in the switch's send (default off)
#                                           BRNF=off: the bench's bridges skip netfilter (bridge-nf-call-*=0), as on a
#                                           host without br_netfilter; on (default): as this kernel sets new namespaces
#                                           HALT_POLL=NS: on a guest with the cpuidle-haltpoll driver, an idle vCPU
#                                           polls NS ns before it halts (guest_halt_poll_ns, put back at the end), so
#                                           a wake-up from the other vCPU need not go through the hypervisor
# needs: root, iproute2, ethtool, iperf3, python3, taskset, openvswitch-switch (for C), the jar
#        (mvn -q -B -DskipTests -pl vxswitch-app -am install)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/find-jdk.sh"
JAR=${JAR:-$root/vxswitch-app/target/vxswitch.jar}
BASE_JAR=${BASE_JAR:-}
PAIRS=${PAIRS:-5}
SECS=${SECS:-5}
SCENARIOS=${SCENARIOS:-A B C}
THREADS=${THREADS:-}
JAVA_OPTS=${JAVA_OPTS:-}
PIN=${PIN:-1}
VM_OFFLOAD=${VM_OFFLOAD:-on}
SWITCH_LOOP=${SWITCH_LOOP:-wait}
LOOPS=${LOOPS:-1}
[[ $LOOPS =~ ^[1-9][0-9]?$ ]] || { echo "LOOPS must be a number of forwarding loops, 1 or more" >&2; exit 2; }
if (( LOOPS > 1 )); then
  [[ $SWITCH_LOOP == wait && -z $THREADS ]] || { echo "LOOPS=$LOOPS goes without SWITCH_LOOP and THREADS" >&2; exit 2; }
fi
[[ $SWITCH_LOOP =~ ^(wait|pinned|busy)$ ]] || { echo "SWITCH_LOOP must be wait, pinned or busy" >&2; exit 2; }
[[ $VM_OFFLOAD == on || $VM_OFFLOAD == off ]] || { echo "VM_OFFLOAD must be on or off" >&2; exit 2; }
PROFILE=${PROFILE:-off}
BRNF=${BRNF:-on}
FAR_RPS=${FAR_RPS:-off}
[[ $FAR_RPS == on || $FAR_RPS == off ]] || { echo "FAR_RPS must be on or off" >&2; exit 2; }
[[ $BRNF == on || $BRNF == off ]] || { echo "BRNF must be on or off" >&2; exit 2; }
HALT_POLL=${HALT_POLL:-}
HALT_POLL_PARAM=/sys/module/haltpoll/parameters/guest_halt_poll_ns
[[ -z $HALT_POLL || ( $HALT_POLL =~ ^[0-9]+$ && -w $HALT_POLL_PARAM ) ]] \
  || { echo "HALT_POLL takes nanoseconds, on a guest with the cpuidle-haltpoll driver ($HALT_POLL_PARAM)" >&2; exit 2; }
HALT_POLL_BEFORE=
[[ $PROFILE =~ ^(off|stat|record|sched)$ ]] || { echo "PROFILE must be off, stat, record or sched" >&2; exit 2; }
PY=${PY:-python3}
OUT=${OUT:-$(mktemp -d /tmp/vxlan-e2e.XXXXXX)}
mkdir -p "$OUT"

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
[[ $EUID -eq 0 ]] || die "must run as root (network namespaces, TAP devices)"
for c in ip ethtool iperf3 taskset ping "$PY"; do command -v "$c" >/dev/null || die "missing '$c'"; done
[[ $PROFILE == off ]] || command -v perf >/dev/null || die "PROFILE=$PROFILE needs perf (apt install linux-perf)"
[[ -f $JAR ]] || die "no $JAR: build it first (mvn -q -B -DskipTests -pl vxswitch-app -am install)"
if [[ " $SCENARIOS " == *" O "* ]]; then
  [[ -f $BASE_JAR ]] || die "scenario O runs BASE_JAR, an older vxswitch.jar: set BASE_JAR to one (got '$BASE_JAR')"
fi
if [[ " $SCENARIOS " == *" C "* ]]; then
  for c in ovsdb-server ovs-vswitchd ovsdb-tool ovs-vsctl ovs-appctl; do
    command -v "$c" >/dev/null || die "missing '$c' for scenario C (apt install openvswitch-switch, or SCENARIOS=\"A B\")"
  done
fi
SWITCH_CPU=1 GEN_CPU=0
[[ $PIN == 1 && $(nproc) -ge 2 ]] || { PIN=0; SWITCH_CPU= GEN_CPU=; }
[[ $SWITCH_LOOP != wait && $PIN != 1 ]] && die "SWITCH_LOOP=$SWITCH_LOOP needs pinning (PIN=1, two or more CPUs)"
GEN=(); [[ $PIN == 1 ]] && GEN=(taskset -c $GEN_CPU)   # prefix for generator and receiver commands
# This script and everything it starts (tee, python, tcpdump, ip, the pyenv shims behind python3) stay off the switch's
# CPU too: only the switch is started on SWITCH_CPU. Left unpinned, they ran beside the switch loop and put
# milliseconds into vxswitch's and OVS's round trips (perf sched showed python's startup and tee on CPU 1), but not
# into the kernel path's, which never leaves the sender's CPU.
[[ $PIN == 1 ]] && taskset -pc $GEN_CPU $$ >/dev/null

ID=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
HA=vxe-$ID-hostA HB=vxe-$ID-hostB VM1=vxe-$ID-vm1 VM3=vxe-$ID-vm3
NSS=($HA $HB $VM1 $VM3)
DAEMON_PID=
OVSD=$OUT/ovs

ns_kill() { # every process still in namespace $1, by PID: TERM, then KILL
  local p pids i
  pids=$(ip netns pids "$1" 2>/dev/null || true); [[ -z $pids ]] && return 0
  for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
  for i in $(seq 1 20); do [[ -z $(ip netns pids "$1" 2>/dev/null || true) ]] && return 0; sleep 0.1; done
  for p in $(ip netns pids "$1" 2>/dev/null || true); do kill -KILL "$p" 2>/dev/null || true; done
}
ovs_stop() {
  [[ -S $OVSD/ovs-vswitchd.ctl ]] && ovs-appctl -t "$OVSD/ovs-vswitchd.ctl" exit --cleanup 2>/dev/null || true
  [[ -S $OVSD/ovsdb-server.ctl ]] && ovs-appctl -t "$OVSD/ovsdb-server.ctl" exit 2>/dev/null || true
}
cleanup() {
  local rc=$? n
  trap - EXIT INT TERM
  [[ -n $DAEMON_PID ]] && kill -TERM "$DAEMON_PID" 2>/dev/null || true
  ovs_stop
  for n in "${NSS[@]}"; do ns_kill "$n"; ip netns del "$n" 2>/dev/null || true; done
  [[ -n $HALT_POLL_BEFORE ]] && echo "$HALT_POLL_BEFORE" > "$HALT_POLL_PARAM"
  log "cleaned up (namespaces vxe-$ID-*); raw results in $OUT"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [[ -n $HALT_POLL ]]; then
  HALT_POLL_BEFORE=$(cat "$HALT_POLL_PARAM")
  echo "$HALT_POLL" > "$HALT_POLL_PARAM"
fi

offloads_off() { ip netns exec "$1" ethtool -K "$2" tx off rx off gso off tso off gro off >/dev/null; }

# ---- the constant part: underlay, hostB (Linux bridge + kernel vxlan119), vm3
for n in "${NSS[@]}"; do
  ip netns add "$n"; ip -n "$n" link set lo up
  ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  # bridge netfilter: on a kernel with br_netfilter (built in here), every new namespace's bridges pass IPv4 frames
  # through the iptables hooks (13 % of the switch thread's CPU in hostB's bridge, run in its sendmmsg); BRNF=off
  # turns that off as on a host without the module
  if [[ $BRNF == off ]]; then
    ip netns exec "$n" sysctl -qw net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-ip6tables=0 \
      net.bridge.bridge-nf-call-arptables=0 2>/dev/null || true
  fi
done
ip -n $HA link add ul0 type veth peer name ul0 netns $HB
ip -n $HA link set ul0 up
ip -n $HB addr add 192.0.2.2/24 dev ul0; ip -n $HB link set ul0 up
offloads_off $HA ul0; offloads_off $HB ul0
# FAR_RPS=on: hostB's receive from the underlay runs on the generators' CPU (RPS on its ul0), not in the sending
# switch's system call: a veth delivers in the sender's context, so by default the far host's whole receive path
# (59-65 % of vxswitch's switch thread in PROFILE=record) is charged to the switch's core, where a real NIC's transmit
# would end at the wire. Off by default, as the earlier figures were measured.
if [[ $FAR_RPS == on && -n $GEN_CPU ]]; then
  ip netns exec $HB sh -c "echo $(( 1 << GEN_CPU )) > /sys/class/net/ul0/queues/rx-0/rps_cpus"
fi
ip -n $HB link add br0 type bridge mcast_snooping 0; ip -n $HB link set br0 up
ip -n $HB link add vxlan119 type vxlan id 119 local 192.0.2.2 remote 192.0.2.1 dstport 4789 dev ul0
ip -n $HB link set vxlan119 master br0; ip -n $HB link set vxlan119 up
ip -n $VM3 link add eth0 address 02:00:00:00:00:03 mtu 1450 type veth peer name vm3 mtu 1450 netns $HB
ip -n $VM3 addr add 10.0.0.3/24 dev eth0; ip -n $VM3 link set eth0 up
ip -n $HB link set vm3 master br0; ip -n $HB link set vm3 up
offloads_off $VM3 eth0; offloads_off $HB vm3

hostA_yaml() { # $1: the vm1 port's YAML -> vxswitch's config for hostA
  cat <<EOF
switch: {name: bench-hostA${THREADS:+, threads: $THREADS}$( (( LOOPS > 1 )) && echo ", loops: $LOOPS")$(case $SWITCH_LOOP in busy) echo ", cpu: $SWITCH_CPU, poll: busy";; pinned) echo ", cpu: $SWITCH_CPU";; esac)${TAP_READS:+, tapReads: $TAP_READS}}
portGroups:
  - {name: vlan119, vlan: 119}
ports:
  - $1
tunnels:
  - {name: vx119, vni: 119, vlan: 119, local: 192.0.2.1, remotes: [192.0.2.2], port: 4789}
api: off
EOF
}
hostA_yaml "{name: vm1, type: tap, portGroup: vlan119, mac: \"02:00:00:00:00:01\", mtu: 1450, offload: $([[ $VM_OFFLOAD == on ]] && echo true || echo false)}" >"$OUT/hostA-A.yaml"
for s in I R V; do
  hostA_yaml "{name: vm1, type: interface, interface: vm1, kind: vnic, portGroup: vlan119, mac: \"02:00:00:00:00:01\", ring: $([[ $s == R ]] && echo true || echo false), offload: $([[ $s == V ]] && echo true || echo false)}" >"$OUT/hostA-$s.yaml"
done

vm1_on_veth() { # vm1's eth0 on a veth whose other end is vm1 in hostA; $1=tso: vm1 sends TCP super-frames
  ip -n $VM1 link add eth0 address 02:00:00:00:00:01 mtu 1450 type veth peer name vm1 mtu 1450 netns $HA
  ip -n $VM1 addr add 10.0.0.1/24 dev eth0; ip -n $VM1 link set eth0 up
  ip -n $HA link set vm1 up
  offloads_off $VM1 eth0; offloads_off $HA vm1
  [[ ${1:-} == tso ]] && ip netns exec $VM1 ethtool -K eth0 tx on sg on tso on gso on >/dev/null
  return 0
}
start_vxswitch() { # $1 scenario, $2 pair: vxswitch in hostA with hostA-$1.yaml
  ip -n $HA addr add 192.0.2.1/24 dev ul0
  local pin=(); [[ $PIN == 1 && $LOOPS == 1 ]] && pin=(taskset -c $SWITCH_CPU)
  local opts=(); [[ -n $JAVA_OPTS ]] && read -r -a opts <<< "${JAVA_OPTS//DIR/$OUT}"
  local log=$OUT/vxswitch-$1-$2.log
  local jar=$JAR config=$OUT/hostA-$1.yaml
  # O: A's config without switch.tapReads (BASE_JAR reads taps its own default way; an older one has no such key)
  [[ $1 == O ]] && { jar=$BASE_JAR; config=$OUT/hostA-O.yaml; sed 's/, tapReads: [a-z_]*//' "$OUT/hostA-A.yaml" >"$config"; }
  ip netns exec $HA "${pin[@]}" "$JAVA_HOME/bin/java" "${opts[@]}" --enable-native-access=ALL-UNNAMED -jar "$jar" run \
    --config "$config" >"$log" 2>&1 &
  DAEMON_PID=$!
  local i
  for i in $(seq 1 100); do grep -q "management API off" "$log" && break; sleep 0.1; done
  grep -q "port vx119" "$log" || { cat "$log" >&2; die "vxswitch did not start"; }
  [[ $2 == 1 ]] && log "vxswitch ($1): $(grep -o 'started with .*' "$log"); $(grep -o 'port vm1 .*' "$log")"
  return 0
}
stop_vxswitch() {
  kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID" 2>/dev/null || true; DAEMON_PID=
  ip -n $HA addr flush dev ul0
}
up_A() { # vxswitch in hostA; its tap vm1 moved into vm1's namespace
  start_vxswitch A "$1"
  ip -n $HA link set vm1 netns $VM1
  ip -n $VM1 link set vm1 address 02:00:00:00:00:01
  ip -n $VM1 addr add 10.0.0.1/24 dev vm1; ip -n $VM1 link set vm1 up
}
down_A() { stop_vxswitch; }
up_O() { # A with BASE_JAR
  start_vxswitch O "$1"
  ip -n $HA link set vm1 netns $VM1
  ip -n $VM1 link set vm1 address 02:00:00:00:00:01
  ip -n $VM1 addr add 10.0.0.1/24 dev vm1; ip -n $VM1 link set vm1 up
}
down_O() { stop_vxswitch; }
up_I() { vm1_on_veth; start_vxswitch I "$1"; } # vm1's veth read by an interface port
down_I() { stop_vxswitch; ip -n $VM1 link del eth0; }
up_R() { vm1_on_veth; start_vxswitch R "$1"; } # the same, through a TPACKET_V3 ring
down_R() { down_I; }
up_V() { vm1_on_veth "$([[ $VM_OFFLOAD == on ]] && echo tso)"; start_vxswitch V "$1"; } # the same, vnet header
down_V() { down_I; }
up_B() { # Linux bridge + kernel vxlan in hostA; vm1 on a veth
  ip -n $HA addr add 192.0.2.1/24 dev ul0
  ip -n $HA link add br0 type bridge mcast_snooping 0; ip -n $HA link set br0 up
  ip -n $HA link add vxlan119 type vxlan id 119 local 192.0.2.1 remote 192.0.2.2 dstport 4789 dev ul0
  ip -n $HA link set vxlan119 master br0; ip -n $HA link set vxlan119 up
  vm1_on_veth "$([[ $VM_OFFLOAD == on ]] && echo tso)"
  ip -n $HA link set vm1 master br0
}
down_B() {
  ip -n $VM1 link del eth0; ip -n $HA link del vxlan119; ip -n $HA link del br0
  ip -n $HA addr flush dev ul0
}
ovsctl() { ovs-vsctl --db="unix:$OVSD/db.sock" --timeout=10 "$@"; }
up_C() { # Open vSwitch userspace datapath in hostA: the underlay address sits on br-phy (OVS's native tunnelling
  # resolves the remote VTEP through its own route and neighbour tables), vm1's veth and vxlan0 on br-int
  rm -rf "$OVSD"; mkdir -p "$OVSD"
  export OVS_RUNDIR=$OVSD OVS_LOGDIR=$OVSD OVS_DBDIR=$OVSD OVS_SYSCONFDIR=$OVSD
  ovsdb-tool create "$OVSD/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  ip netns exec $HA ovsdb-server "$OVSD/conf.db" --remote="punix:$OVSD/db.sock" \
    --pidfile="$OVSD/ovsdb-server.pid" --unixctl="$OVSD/ovsdb-server.ctl" --log-file="$OVSD/ovsdb-server.log" -vconsole:off --detach
  ovsctl --no-wait init
  local pin=(); [[ $PIN == 1 ]] && pin=(taskset -c $SWITCH_CPU)
  ip netns exec $HA "${pin[@]}" ovs-vswitchd "unix:$OVSD/db.sock" --pidfile="$OVSD/ovs-vswitchd.pid" \
    --unixctl="$OVSD/ovs-vswitchd.ctl" --log-file="$OVSD/ovs-vswitchd.log" -vconsole:off --detach
  ovsctl add-br br-phy -- set bridge br-phy datapath_type=netdev
  ovsctl add-port br-phy ul0
  ip -n $HA addr add 192.0.2.1/24 dev br-phy; ip -n $HA link set br-phy up
  ovsctl add-br br-int -- set bridge br-int datapath_type=netdev
  ovsctl add-port br-int vxlan0 -- set interface vxlan0 type=vxlan options:remote_ip=192.0.2.2 \
    options:local_ip=192.0.2.1 options:key=119 options:dst_port=4789
  vm1_on_veth
  ovsctl add-port br-int vm1
}
down_C() {
  ovs_stop
  local i; for i in $(seq 1 30); do [[ -z $(ip netns pids $HA 2>/dev/null) ]] && break; sleep 0.1; done
  ns_kill $HA
  ip -n $VM1 link del eth0 2>/dev/null || true
  ip -n $HA addr flush dev ul0; ip -n $HA link set ul0 up
}

# iperf JSON_OUT PORT client-args... : one-shot server on PORT in vm3, client in vm1
iperf() {
  local out=$1 port=$2 spid i; shift 2
  "${GEN[@]}" ip netns exec $VM3 iperf3 -s -1 -B 10.0.0.3 -p "$port" >"$out.server.log" 2>&1 &
  spid=$!
  for i in $(seq 1 50); do ip netns exec $VM3 ss -ltn 2>/dev/null | grep -q ":$port " && break; sleep 0.1; done
  timeout $((SECS + 30)) "${GEN[@]}" ip netns exec $VM1 iperf3 -c 10.0.0.3 -p "$port" --json "$@" >"$out" 2>"$out.err" || true
  for i in $(seq 1 30); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
  kill "$spid" 2>/dev/null || true; wait "$spid" 2>/dev/null || true
}
ul_rx() { ip netns exec $HB cat /sys/class/net/ul0/statistics/rx_packets; }
# The switch's process in scenario $1: vxswitch's JVM, ovs-vswitchd; none for the kernel (B), whose work is in the
# senders' system calls and softirqs.
switch_pid() {
  case $1 in
    B) ;;
    C) cat "$OVSD/ovs-vswitchd.pid" 2>/dev/null || true ;;
    *) echo "$DAEMON_PID" ;;
  esac
}
# steal: "cpuN:steal:total ..." jiffies per CPU; steal_pct A B: each CPU's share stolen between the two, "0:1.2,1:0.4"
steal() { awk '/^cpu[0-9]/ { t = 0; for (i = 2; i <= 9; i++) t += $i; printf "%s:%d:%d ", substr($1, 4), $9, t }' /proc/stat; }
steal_pct() {
  "$PY" -c 'import sys
a = {c: (int(s), int(t)) for c, s, t in (x.split(":") for x in sys.argv[1].split())}
b = {c: (int(s), int(t)) for c, s, t in (x.split(":") for x in sys.argv[2].split())}
print(",".join("%s:%.1f" % (c, 100.0 * (b[c][0] - a[c][0]) / max(1, b[c][1] - a[c][1])) for c in sorted(a)))' "$1" "$2"
}
# perf_start SCENARIO PHASE PAIR SECONDS: counts the switch's system calls, context switches and CPU time per thread
# while a phase runs (PROFILE=stat|record), and samples where its CPUs go (PROFILE=record, the flood only)
PERF_PIDS=()
perf_start() {
  PERF_PIDS=()
  [[ $PROFILE != off ]] || return 0
  local pid; pid=$(switch_pid "$1"); [[ -n $pid ]] || return 0
  ( # the frames hostB took from the underlay over the same window, for per-frame figures; and the time the
    # hypervisor took from each CPU meanwhile (steal, /proc/stat): this machine is a VM among others
    before=$(ul_rx); steal0=$(steal)
    "${GEN[@]}" perf stat --per-thread -x, -e task-clock,context-switches,raw_syscalls:sys_enter -p "$pid" \
      -o "$OUT/perfstat-$1-$2-$3.csv" -- sleep "$4" >/dev/null 2>&1 || true
    echo "$1 $3 $2 $4 $(( $(ul_rx) - before )) $(steal_pct "$steal0" "$(steal)")" >> "$OUT/perf-frames.txt"
  ) &
  PERF_PIDS+=($!)
  if [[ $PROFILE == sched && $2 == load ]]; then # every scheduler event on both CPUs while the half-load pings run
    "${GEN[@]}" perf sched record -q -a -o "$OUT/sched-$1-$3.data" -- sleep "$4" >/dev/null 2>&1 &
    PERF_PIDS+=($!)
  fi
  if [[ $PROFILE == record && $2 == udp ]]; then
    "${GEN[@]}" perf record -q -g -F 999 -p "$pid" -o "$OUT/perf-$1-$3.data" -- sleep "$4" >/dev/null 2>&1 &
    PERF_PIDS+=($!)
  fi
}
# perf_end SCENARIO PAIR: waits for the counters; a JVM's symbols for the profile, and the profile as text
perf_end() {
  local p; for p in "${PERF_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PERF_PIDS=()
  if [[ $PROFILE == sched && -f $OUT/sched-$1-$2.data ]]; then
    perf sched timehist -i "$OUT/sched-$1-$2.data" -w -n --state > "$OUT/sched-$1-$2.txt" 2>/dev/null || true
  fi
  perf_report "$@"
}
# perf_report SCENARIO NAME: perf-SCENARIO-NAME.data as text (perf-SCENARIO-NAME.txt), with a JVM's symbols
perf_report() {
  [[ $PROFILE == record && -f $OUT/perf-$1-$2.data ]] || return 0
  local pid; pid=$(switch_pid "$1")
  [[ $1 == C || $1 == B ]] || "$JAVA_HOME/bin/jcmd" "$pid" Compiler.perfmap >/dev/null 2>&1 || true
  { # where the switch's CPU goes: user code or the kernel, and in the kernel, whose work (self time per symbol,
    # then the time under the entry points: receiving, sending, and the softirqs that sending sets off)
    perf report -i "$OUT/perf-$1-$2.data" --stdio --no-children --sort comm,dso -g none --percent-limit 0.5 2>/dev/null
    perf report -i "$OUT/perf-$1-$2.data" --stdio --children --sort sym -g none --percent-limit 0.1 2>/dev/null \
      | grep -E 'Children|tun_chr_read_iter|packet_recvmsg|__sys_recvmmsg|__sys_sendmmsg|tun_chr_write_iter|packet_sendmsg|udp_sendmsg|net_rx_action|do_epoll_wait|futex|schedule$|\[\.\] ' | head -40
    perf report -i "$OUT/perf-$1-$2.data" --stdio --no-children --sort comm,dso,sym -g none --percent-limit 0.5 2>/dev/null
  } | grep -v '^$' > "$OUT/perf-$1-$2.txt" || true
}
# metric JSON... -> "tcp GBITS" (sum) | "udp RX_PPS" (sum over the files) | "error ..."
metric() {
  "$PY" - "$@" <<'EOF'
import json, sys
total, kind = 0.0, None
for f in sys.argv[1:]:
    try:
        d = json.load(open(f))
    except Exception as e:
        print("error", type(e).__name__); sys.exit(0)
    if "error" in d: print("error", d["error"].replace(" ", "_")); sys.exit(0)
    e, ts = d["end"], d["start"]["test_start"]
    if ts["protocol"] == "TCP":
        kind = "tcp"; total += e["sum_received"]["bits_per_second"] / 1e9
    else:
        kind = "udp"; r = e["sum_received"]; total += r["bytes"] / ts["blksize"] / r["seconds"]
print(kind, ("%.3f" if kind == "tcp" else "%.0f") % total)
EOF
}
# rtt FILE -> "P50 P99" in microseconds, from ping's per-packet times (kept in FILE, with timestamps: -D)
rtt() {
  "${GEN[@]}" ip netns exec $VM1 ping -n -q -i 0.002 -c 500 10.0.0.3 >/dev/null 2>&1 || true
  "${GEN[@]}" ip netns exec $VM1 ping -D -n -i 0.002 -c 1000 -s 56 10.0.0.3 2>/dev/null | tee "$1" | "$PY" -c '
import re, sys
t = sorted(float(m.group(1)) * 1000 for m in (re.search(r"time=([0-9.]+) ms", l) for l in sys.stdin) if m)
print("%.0f %.0f" % (t[len(t) // 2], t[min(len(t) - 1, int(len(t) * 0.99))]) if t else "? ?")'
}

{
  echo "date:    $(date -u +%FT%TZ)"
  echo "kernel:  $(uname -r)"
  echo "cpu:     $(nproc --all) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "java:    $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "iperf3:  $(iperf3 --version | head -1)"
  command -v ovs-vswitchd >/dev/null && echo "ovs:     $(ovs-vswitchd --version | head -1)"
  echo "commit:  $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- \
    '*/src/main/*' '*pom.xml' 2>/dev/null || echo ' (main code or poms changed since)')"
  echo "run:     PAIRS=$PAIRS SECS=$SECS SCENARIOS=\"$SCENARIOS\", VM_OFFLOAD=$VM_OFFLOAD (vm1's NIC in A and B)," \
    "offloads off on every other veth, VM MTU 1450," \
    "bridge netfilter $BRNF, far host RPS $FAR_RPS, guest halt polling $(cat "$HALT_POLL_PARAM" 2>/dev/null || echo n/a) ns, vxswitch threads ${THREADS:-default}, switch loop $SWITCH_LOOP, loops $LOOPS, tap reads ${TAP_READS:-default}, pinning $([[ $PIN == 1 ]] && echo "$( (( LOOPS > 1 )) && echo "switch not pinned" || echo "switch CPU $SWITCH_CPU"), generators CPU $GEN_CPU" || echo off)"
  echo "loadavg: $(cut -d' ' -f1-3 /proc/loadavg) (before)"
} | tee "$OUT/env.txt" >&2

ROW='%-4s %-22s %9s %9s %10s %11s %11s %8s %8s %8s %8s %11s\n'
printf "$ROW" pair scenario "tcp1 Gb/s" "tcp4 Gb/s" "tcp1r Gb/s" "fwd pps" "rx pps" "p50 us" "p99 us" "p50L us" \
  "p99L us" "steal %" | tee "$OUT/runs.txt"
declare -A NAME=([A]="A vxswitch" [B]="B bridge+kernel" [C]="C OVS userspace" [I]="I vxswitch iface" \
  [R]="R vxswitch iface ring" [V]="V vxswitch iface vnet" [O]="O vxswitch BASE_JAR")
for pair in $(seq 1 "$PAIRS"); do
  for s in $SCENARIOS; do
    "up_$s" "$pair"
    phase_steal=$(steal)
    ok=0
    for i in $(seq 1 10); do ip netns exec $VM1 ping -c 1 -W 1 10.0.0.3 >/dev/null 2>&1 && { ok=1; break; }; done
    [[ $ok == 1 ]] || die "scenario $s: vm1 cannot ping vm3"
    iperf "$OUT/warmup-$s-$pair.json" 5201 -t 2
    if [[ $PROFILE == record ]]; then # and where the switch's CPU goes while one TCP stream runs
      iperf "$OUT/tcp1-$s-$pair.json" 5201 -t "$SECS" &
      tp=$!; sleep 1
      pid=$(switch_pid "$s")
      [[ -z $pid ]] || "${GEN[@]}" perf record -q -g -F 999 -p "$pid" -o "$OUT/perf-$s-$pair-tcp1.data" \
        -- sleep $(( SECS - 2 )) >/dev/null 2>&1 || true
      wait $tp || true
      perf_report "$s" "$pair-tcp1"
    else
      iperf "$OUT/tcp1-$s-$pair.json" 5201 -t "$SECS"
    fi
    iperf "$OUT/tcp4-$s-$pair.json" 5201 -t "$SECS" -P 4
    iperf "$OUT/tcp1r-$s-$pair.json" 5201 -t "$SECS" -R
    ul0=$(ul_rx)
    iperf "$OUT/udp-$s-$pair-a.json" 5201 -t "$SECS" -u -l 18 -b 0 &
    ua=$!
    [[ $PROFILE == off ]] || { sleep 1; perf_start "$s" udp "$pair" $(( SECS - 2 )); }
    iperf "$OUT/udp-$s-$pair-b.json" 5202 -t "$SECS" -u -l 18 -b 0
    wait $ua || true
    fwd=$(( ($(ul_rx) - ul0) / SECS ))
    perf_end "$s" "$pair"
    u=($(metric "$OUT/udp-$s-$pair-a.json" "$OUT/udp-$s-$pair-b.json"))
    peak=$fwd; [[ ${u[1]:-x} =~ ^[0-9]+$ && ${u[1]} -lt $fwd ]] && peak=${u[1]}
    sleep 2 # the flood's aftermath (vm3's side draining what it could not take) is not the idle path's latency
    r=($(rtt "$OUT/ping-$s-$pair.txt"))
    iperf "$OUT/udphalf-$s-$pair.json" 5201 -t 4 -u -l 18 -b $(( peak / 2 * 18 * 8 )) &
    uh=$!
    sleep 1
    perf_start "$s" load "$pair" 2
    rl=($(rtt "$OUT/ping-load-$s-$pair.txt"))
    wait $uh || true
    perf_end "$s" "$pair"
    t1=($(metric "$OUT/tcp1-$s-$pair.json")); t4=($(metric "$OUT/tcp4-$s-$pair.json"))
    t1r=($(metric "$OUT/tcp1r-$s-$pair.json"))
    # the share of each CPU the hypervisor took over the phase (steal): a run where it took much is a slow run
    stolen=$(steal_pct "$phase_steal" "$(steal)")
    printf "$ROW" "$pair" "${NAME[$s]}" "${t1[1]:-?}" "${t4[1]:-?}" "${t1r[1]:-?}" "$fwd" "${u[1]:-?}" "${r[0]:-?}" \
      "${r[1]:-?}" "${rl[0]:-?}" "${rl[1]:-?}" "$stolen" | tee -a "$OUT/runs.txt"
    echo "$s ${t1[1]:-nan} ${t4[1]:-nan} ${t1r[1]:-nan} $fwd ${u[1]:-nan} ${r[0]:-nan} ${r[1]:-nan} ${rl[0]:-nan}" \
      "${rl[1]:-nan}" >> "$OUT/metrics.txt"
    "down_$s"
  done
done
echo "loadavg: $(cut -d' ' -f1-3 /proc/loadavg) (after)" | tee -a "$OUT/env.txt" >&2
[[ $PROFILE == off || ! -f $OUT/perf-frames.txt ]] || "$PY" - "$OUT" <<'EOF' | tee "$OUT/profile.txt"
# Per scenario and phase (medians over the pairs): the switch process's system calls, context switches and CPU time
# per frame that reached the underlay in the same window, and the threads that make most of them (the first pair's).
import collections, csv, os, statistics, sys
out = sys.argv[1]
windows = collections.defaultdict(list)
for line in open(os.path.join(out, "perf-frames.txt")):
    s, pair, phase, secs, frames, *rest = line.split()
    f = os.path.join(out, "perfstat-%s-%s-%s.csv" % (s, phase, pair))
    if not os.path.exists(f) or int(frames) <= 0:
        continue
    threads = collections.defaultdict(lambda: collections.defaultdict(float))
    for row in csv.reader(l for l in open(f) if l.strip() and not l.startswith("#")):
        try:
            threads[row[0].rsplit("-", 1)[0]][row[3]] += float(row[1])
        except (IndexError, ValueError):  # "<not counted>", a header
            pass
    stolen = max((float(x.split(":")[1]) for x in rest[0].split(",")), default=0.0) if rest else 0.0
    windows[(s, phase)].append((int(frames) / float(secs), int(frames), threads, stolen))
print("\n%-3s %-5s %10s %12s %12s %12s %7s   %s" % ("", "phase", "frames/s", "syscalls/fr", "ctxsw/fr", "cpu ns/fr",
                                                   "steal%", "busiest threads: syscalls/frame, context switches/frame"))
for (s, phase), runs in sorted(windows.items()):
    def per(ev):
        return statistics.median(sum(t[ev] for t in th.values()) / n for _, n, th, _ in runs)
    _, n, th, _ = runs[0]
    top = sorted(th.items(), key=lambda kv: -kv[1]["raw_syscalls:sys_enter"])[:3]
    names = ", ".join("%s %.2f/%.3f" % (k, v["raw_syscalls:sys_enter"] / n, v["context-switches"] / n) for k, v in top)
    print("%-3s %-5s %10.0f %12.3f %12.4f %12.0f %7.1f   %s" % (s, phase, statistics.median(r[0] for r in runs),
          per("raw_syscalls:sys_enter"), per("context-switches"), per("task-clock") * 1e6,
          max(r[3] for r in runs), names))
EOF

"$PY" - "$OUT/metrics.txt" <<'EOF' | tee "$OUT/summary.txt"
import math, statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
names = {"A": "vxswitch", "B": "kernel", "C": "OVS userspace", "I": "vxswitch iface", "R": "vxswitch iface+ring",
         "V": "vxswitch iface+vnet", "O": "vxswitch (BASE_JAR)"}
cols = [("TCP 1 stream Gbit/s", 1, "%.3f"), ("TCP 4 streams Gbit/s", 2, "%.3f"), ("TCP vm3->vm1 Gbit/s", 3, "%.3f"),
        ("60-byte fwd pps", 4, "%.0f"), ("60-byte rx pps", 5, "%.0f"), ("RTT p50 us", 6, "%.0f"),
        ("RTT p99 us", 7, "%.0f"), ("RTT p50 us, half load", 8, "%.0f"), ("RTT p99 us, half load", 9, "%.0f")]
def num(text):
    try:
        return float(text)
    except ValueError:  # an iperf3 error in that run: left out, and visible in runs.txt
        return math.nan
def col(s, i):
    v = [num(r[i]) for r in rows if r[0] == s]
    return [x for x in v if not math.isnan(x)]
print()
for what, i, fmt in cols:
    med = {s: statistics.median(col(s, i)) for s in "ABCIRVO" if col(s, i)}
    parts = []
    for s in "ABCIRVO":
        if s in med:
            ratio = "" if s == "B" or "B" not in med or not med["B"] else "  (%.2fx kernel)" % (med[s] / med["B"])
            parts.append(("%s " + fmt + "%s") % (names[s], med[s], ratio))
    print("%-22s %s" % (what, "   ".join(parts)))
def spread(s, i):
    v = col(s, i)
    return "%s-%s" % (min(v), max(v)) if v else "-"
if all(col(s, 1) for s in "AO"):
    print()
    for what, i, fmt in cols:
        print("%-22s vxswitch / BASE_JAR: %.2f   (min-max %s vs %s)" % (what, statistics.median(col("A", i))
              / statistics.median(col("O", i)), spread("A", i), spread("O", i)))
if all(col(s, 1) for s in "AC"):
    print()
    for what, i, fmt in cols[:3]:
        print("%-22s vxswitch / OVS userspace: %.2f" % (what, statistics.median(col("A", i)) / statistics.median(col("C", i))))
EOF
