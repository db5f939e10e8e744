package io.vxswitch.app.daemon;

import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.PortKind;
import io.vxswitch.forwarding.lacp.LagOptions;
import io.vxswitch.linux.vhost.VhostUserEndpoint;

/**
 * One port of the daemon's switch, as the config file gives it.
 *
 * @param type      what the port is on the host: a TAP device vxswitch creates, or an existing interface
 * @param kind      its role in the switch: a vNIC (default for taps) or an uplink (default for interfaces)
 * @param mac       the MAC of the VM behind a vNIC port, or {@link Port#NO_MAC} when not given
 * @param mtu       MTU to set on a tap, or 0 to keep the kernel's
 * @param interfaceName the existing interface of an {@code interface} port
 * @param offload   a tap with the vnet header and checksum/TCP segmentation offload (default for taps): the VM's
 *                  stack hands over 64 KiB TCP super-frames, which the switch cuts only where a wire needs it; an
 *                  interface port whose packet socket has the vnet header ({@code PACKET_VNET_HDR}, off by default)
 * @param ring      an interface port that receives through a TPACKET_V3 ring: no system call per batch, up to
 *                  1 ms more latency while the link is nearly idle
 * @param socket    a vhost-user port's Unix socket (null for other types)
 * @param vhostMode who creates a vhost-user port's socket: vxswitch (server) or QEMU (client); null for other types
 * @param socketGroup the group a server socket is given, mode 0660 (QEMU under libvirt runs as its own user), or null
 * @param lag       a {@code lag} port's members and LACP settings (system id and key perhaps still to derive); null
 *                  for other types
 */
public record PortConfig(String name, Type type, PortKind kind, String portGroup, String interfaceName, long mac,
                         int mtu, boolean offload, boolean ring, String socket, VhostUserEndpoint.Mode vhostMode,
                         String socketGroup, LagOptions lag) {
    public enum Type {
        TAP, INTERFACE, VHOSTUSER, LAG;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
