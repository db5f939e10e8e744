package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.ExtendedCommunities;
import io.vxswitch.bgp.evpn.RouteDistinguisher;

import java.net.InetAddress;
import java.util.List;

/**
 * One VNI under EVPN: its route distinguisher and route targets, and the local VTEP that its routes name. The
 * defaults are FRR's auto-derivation (RD {@code router-id:N}, RT {@code ASN:VNI}), so a vxswitch host and an FRR
 * host agree without any of it configured.
 */
public record VniConfig(int vni, RouteDistinguisher rd, List<Long> importTargets, List<Long> exportTargets,
                        InetAddress localVtep, boolean arpSuppression) {
    public VniConfig {
        if (vni < 0 || vni > 0xFF_FFFF) {
            throw new IllegalArgumentException("VNI " + vni + " is not 0-16777215");
        }
        if (importTargets.isEmpty() || exportTargets.isEmpty()) {
            throw new IllegalArgumentException("VNI " + vni + ": route targets must not be empty");
        }
        importTargets = List.copyOf(importTargets);
        exportTargets = List.copyOf(exportTargets);
    }

    /** FRR's defaults: RD router-id:index (index 1, 2, ... per VNI on this host), RT ASN:VNI both ways. */
    public static VniConfig defaults(int vni, long asn, int routerId, int index, InetAddress localVtep,
                                     boolean arpSuppression) {
        long rt = ExtendedCommunities.routeTarget(asn > 0xFFFF ? asn : asn, vni);
        return new VniConfig(vni, RouteDistinguisher.ipv4(routerId, index), List.of(rt), List.of(rt), localVtep,
                arpSuppression);
    }
}
