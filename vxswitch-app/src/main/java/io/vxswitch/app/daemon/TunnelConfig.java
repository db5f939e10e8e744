package io.vxswitch.app.daemon;

import io.vxswitch.vxlan.AcceptFrom;
import io.vxswitch.vxlan.VtepAddress;

import java.util.List;

/**
 * A VXLAN tunnel endpoint: VNI {@code vni} carries VLAN {@code vlan} of the switch to the {@code remotes}
 * (head-end replication), from {@code local}:{@code port}.
 *
 * @param learning     learn the MACs behind remote VTEPs (as the Linux vxlan device does by default)
 * @param underlayMtu  the MTU of the underlay path; inner frames that would not fit are dropped and counted
 * @param strict       drop packets with reserved bits set, as the Linux kernel does (RFC 7348 says ignore them)
 * @param gro          coalesce consecutive TCP segments of a flow received in one batch into one super-frame (GRO)
 * @param evpn         the BGP-EVPN settings of a tunnel with {@code controlPlane: evpn}, null for a static one
 * @param acceptFrom   whose VXLAN the tunnel takes: known VTEPs (remotes, EVPN routes; the default) or any sender
 */
public record TunnelConfig(String name, int vni, int vlan, VtepAddress local, List<VtepAddress> remotes, int port,
                           boolean learning, int underlayMtu, boolean strict, boolean gro, TunnelEvpn evpn,
                           AcceptFrom acceptFrom) {
    public static final int DEFAULT_PORT = 4789;
    public static final int DEFAULT_UNDERLAY_MTU = 1500;

    public TunnelConfig {
        remotes = List.copyOf(remotes);
    }
}
