package io.vxswitch.app.daemon;

import io.vxswitch.bgp.evpn.RouteDistinguisher;

import java.util.List;

/**
 * A tunnel's EVPN settings ({@code controlPlane: evpn}): its route distinguisher and route targets, null / empty for
 * FRR's auto-derivation (RD {@code router-id:N}, RT {@code ASN:VNI}), and whether the switch answers ARP requests for
 * addresses it knows instead of flooding them over the tunnel ({@code arpSuppression}, RFC 7432 §10).
 */
public record TunnelEvpn(RouteDistinguisher rd, List<Long> importTargets, List<Long> exportTargets,
                         boolean arpSuppression) {
    public TunnelEvpn {
        importTargets = List.copyOf(importTargets);
        exportTargets = List.copyOf(exportTargets);
    }

    public static final TunnelEvpn AUTO = new TunnelEvpn(null, List.of(), List.of(), false);
}
