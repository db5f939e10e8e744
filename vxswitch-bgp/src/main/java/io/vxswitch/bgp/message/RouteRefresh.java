package io.vxswitch.bgp.message;

/**
 * ROUTE-REFRESH (RFC 2918): asks the peer to send its Adj-RIB-Out for one address family again. The subtype is
 * RFC 7313's (0 a plain refresh, 1 begin-of-refresh, 2 end-of-refresh).
 */
public record RouteRefresh(AddressFamily family, int subtype) implements BgpMessage {
    public RouteRefresh(AddressFamily family) {
        this(family, 0);
    }

    @Override
    public int type() {
        return ROUTE_REFRESH;
    }
}
