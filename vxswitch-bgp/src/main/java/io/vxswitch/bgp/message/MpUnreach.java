package io.vxswitch.bgp.message;

import io.vxswitch.bgp.evpn.EvpnRoute;

import java.util.List;

/**
 * MP_UNREACH_NLRI (RFC 4760 §4): routes withdrawn. Empty, and alone in an UPDATE, it is the End-of-RIB marker of
 * its family (RFC 4724 §2).
 */
public record MpUnreach(AddressFamily family, List<EvpnRoute> routes, int otherFamilyBytes) {
    public MpUnreach {
        routes = List.copyOf(routes);
    }

    public static MpUnreach evpn(List<? extends EvpnRoute> routes) {
        return new MpUnreach(AddressFamily.L2VPN_EVPN, List.copyOf(routes), 0);
    }
}
