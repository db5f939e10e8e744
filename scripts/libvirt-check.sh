#!/usr/bin/env bash
# Boots two VMs through libvirt with the domain XML of docs/vms.md on vxswitch's vhost-user ports, one in each mode,
# and checks that each pings a namespace behind a tap of the same switch:
#   vm1: libvirt <source mode='server'> (QEMU creates the socket), vxswitch port mode: client
#   vm2: libvirt <source mode='client'> with <reconnect> (vxswitch creates it), vxswitch port mode: server with
#        socketGroup: kvm, added at run time with `vxswitch ports add`; vxswitch is then restarted under the running
#        guest (vm2 comes back from the ports.yaml drop-in), QEMU connects again, and the guest pings again
# The guest is scripts/guest-image.sh's (Debian's kernel, a busybox initramfs that pings and powers off). Under TCG
# (no KVM here) each boot takes ~30 s.
#
#   scripts/libvirt-check.sh          as root; needs libvirt-daemon-system (libvirtd, virsh), qemu-system-x86
#
# Not in CI: libvirt's packages add a default network (virbr0, 192.168.122.1/24 in the root namespace when started);
# this script never starts it, and refuses to run if it is set to autostart. It starts libvirtd and virtlogd only if
# they are not running, and stops what it started, deletes its namespace and its domains, even on failure.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
W=$(mktemp -d /tmp/vxs-libvirt.XXXXXX)
NS=lvt-$$
API=127.0.0.1:7798
started=()
cleanup() {
  set +e
  for d in vxs-lvt-vm1 vxs-lvt-vm2; do virsh -q -c qemu:///system destroy "$d" >/dev/null 2>&1; done
  [[ -n "${vxs:-}" ]] && kill -TERM "$vxs" 2>/dev/null && wait "$vxs" 2>/dev/null
  ip netns del "$NS" 2>/dev/null
  for p in "${started[@]}"; do pkill -TERM -x "$p"; done
  rm -rf "$W"
}
trap cleanup EXIT

for c in virsh libvirtd virtlogd qemu-system-x86_64; do
  command -v "$c" >/dev/null || { echo "libvirt-check: $c not found (apt-get install libvirt-daemon-system qemu-system-x86)" >&2; exit 2; }
done
if [[ -e /etc/libvirt/qemu/networks/autostart/default.xml ]]; then
  echo "libvirt-check: libvirt's default network autostarts (virbr0, 192.168.122.1 in this namespace);" \
    "run 'virsh net-autostart --disable default' first" >&2
  exit 2
fi
pgrep -x virtlogd >/dev/null || { virtlogd -d; started+=(virtlogd); }
pgrep -x libvirtd >/dev/null || { libvirtd -d; started+=(libvirtd); }
for _ in $(seq 50); do [[ -S /run/libvirt/libvirt-sock ]] && break; sleep 0.2; done

mapfile -t image < <("$root/scripts/guest-image.sh" | awk '/^(kernel|initrd) /{print $2}')
kernel=${image[0]}; initrd=${image[1]}
chmod 755 "$W"; mkdir "$W/sock"; chown libvirt-qemu:kvm "$W/sock" # QEMU (libvirt-qemu) creates vm1's socket here

cat > "$W/vxswitch.yaml" <<EOF
switch: {name: lvt}
portGroups:
  - {name: lan}
ports:
  - {name: vm1, type: vhostuser, socket: "$W/sock/vm1.sock", mode: client, portGroup: lan, mac: "02:00:00:00:00:05"}
  - {name: lvtap1, type: tap, portGroup: lan, mac: "02:00:00:00:00:01"}
api: {listen: $API, tokenFile: $W/api/api.token}
EOF
# starts vxswitch and moves its tap into the namespace (again after a restart: the tap goes with the process)
start_switch() {
  "$root/vxswitch" run --config "$W/vxswitch.yaml" >> "$W/vxswitch.log" 2>&1 &
  vxs=$!
  for _ in $(seq 100); do ip link show lvtap1 >/dev/null 2>&1 && break; sleep 0.2; done
  ip link set lvtap1 netns "$NS"
  ip -n "$NS" link set lvtap1 address 02:00:00:00:00:01
  ip -n "$NS" addr add 10.0.0.1/24 dev lvtap1
  ip -n "$NS" link set lvtap1 up
  for _ in $(seq 100); do [[ -f "$W/api/api.token" ]] && break; sleep 0.2; done
}
ip netns add "$NS"
start_switch

"$root/vxswitch" ports add vm2 --type vhostuser --socket "$W/sock/vm2.sock" --socket-group kvm --port-group lan \
  --mac 02:00:00:00:00:06 --api "http://$API" --token-file "$W/api/api.token"

# $1 name, $2 MAC, $3 address, $4 the <source> mode (libvirt's: QEMU's side), $5 more kernel arguments
domain() {
  local reconnect=""
  [[ $4 == client ]] && reconnect="<reconnect enabled='yes' timeout='2'/>"
  cat <<EOF
<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>vxs-lvt-$1</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <memoryBacking>
    <source type='memfd'/>
    <access mode='shared'/>
  </memoryBacking>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>$kernel</kernel>
    <initrd>$initrd</initrd>
    <cmdline>console=ttyS0 quiet panic=-1 vmq.ip=$3/24 vmq.peer=10.0.0.1 vmq.count=3 ${5:-}</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <devices>
    <interface type='vhostuser'>
      <mac address='$2'/>
      <source type='unix' path='$W/sock/$1.sock' mode='$4'>$reconnect</source>
      <model type='virtio'/>
    </interface>
    <serial type='file'>
      <source path='$W/$1.console'/>
      <target port='0'/>
    </serial>
  </devices>
  <qemu:override>
    <qemu:device alias='net0'>
      <qemu:frontend>
        <qemu:property name='vectors' type='unsigned' value='0'/>
      </qemu:frontend>
    </qemu:device>
  </qemu:override>
</domain>
EOF
}
domain vm1 02:00:00:00:00:05 10.0.0.5 server > "$W/vm1.xml"
domain vm2 02:00:00:00:00:06 10.0.0.6 client vmq.wait=5002 > "$W/vm2.xml"
fail=0
virsh -q -c qemu:///system create "$W/vm1.xml"
for _ in $(seq 120); do grep -aq "VMQ DONE" "$W/vm1.console" 2>/dev/null && break; sleep 1; done

virsh -q -c qemu:///system create "$W/vm2.xml"
for _ in $(seq 120); do grep -aq "VMQ WAITING" "$W/vm2.console" 2>/dev/null && break; sleep 1; done
echo "--- restarting vxswitch under vm2"
kill -TERM "$vxs"; wait "$vxs" || true
start_switch
for _ in $(seq 60); do [[ $(grep -c "port vm2: vhost-user front-end connected" "$W/vxswitch.log") -ge 2 ]] && break; sleep 0.5; done
for _ in $(seq 60); do [[ $(grep -c "port vm2: link up" "$W/vxswitch.log") -ge 2 ]] && break; sleep 0.5; done
ip netns exec "$NS" /usr/bin/python3 -c "import socket; s = socket.create_connection(('10.0.0.6', 5002), 10); s.sendall(b'go'); s.close()"
for _ in $(seq 120); do grep -aq "VMQ DONE" "$W/vm2.console" 2>/dev/null && break; sleep 1; done

for vm in vm1 vm2; do
  grep -a "^VMQ" "$W/$vm.console" | sed "s/^/$vm: /" || true
  grep -aq "VMQ PING OK 3/3" "$W/$vm.console" || { echo "libvirt-check: $vm did not ping 10.0.0.1" >&2; fail=1; }
done
grep -aq "VMQ PING AGAIN OK 3/3" "$W/vm2.console" \
  || { echo "libvirt-check: vm2 did not ping again after vxswitch restarted" >&2; fail=1; }
echo "--- vxswitch"; cat "$W/vxswitch.log"
[[ $fail == 0 ]] && echo "libvirt-check: both VMs pinged through vxswitch, vm2 again after its restart (libvirt $(virsh -v), $(qemu-system-x86_64 --version | head -1))"
exit $fail
