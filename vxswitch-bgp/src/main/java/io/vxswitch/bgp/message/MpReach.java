package io.vxswitch.bgp.message;

import io.vxswitch.bgp.evpn.EvpnRoute;

import java.net.InetAddress;
import java.util.List;

/**
 * MP_REACH_NLRI (RFC 4760 §3): routes of one address family and their next hop (for EVPN, the VTEP). Only L2VPN
 * EVPN routes are decoded; another family's NLRI is kept as a count so it can be logged and ignored.
 */
public record MpReach(AddressFamily family, InetAddress nextHop, List<EvpnRoute> routes, int otherFamilyBytes) {
    public MpReach {
        routes = List.copyOf(routes);
    }

    public static MpReach evpn(InetAddress nextHop, List<? extends EvpnRoute> routes) {
        return new MpReach(AddressFamily.L2VPN_EVPN, nextHop, List.copyOf(routes), 0);
    }
}
