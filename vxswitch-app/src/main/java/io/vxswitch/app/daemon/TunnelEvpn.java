package io.vxswitch.app.daemon;

import io.vxswitch.bgp.evpn.RouteDistinguisher;

import java.util.List;

/**
 * A tunnel's EVPN settings ({@code controlPlane: evpn}): its route distinguisher and route targets, null / empty for
 * FRR's auto-derivation (RD {@code router-id:N}, RT {@code ASN:VNI}).
 */
public record TunnelEvpn(RouteDistinguisher rd, List<Long> importTargets, List<Long> exportTargets) {
    public TunnelEvpn {
        importTargets = List.copyOf(importTargets);
        exportTargets = List.copyOf(exportTargets);
    }

    public static final TunnelEvpn AUTO = new TunnelEvpn(null, List.of(), List.of());
}
