package io.vxswitch.bgp.evpn;

/**
 * One EVPN NLRI (RFC 7432 §7). {@link #key()} is what identifies the route in a RIB: the fields RFC 7432 §7.2 and
 * §7.3 say are part of the prefix (RD, Ethernet tag, MAC, IP; not the labels or the ESI), so a re-advertisement
 * with a new label replaces the old route instead of sitting beside it.
 */
public sealed interface EvpnRoute permits MacIpRoute, InclusiveMulticastRoute, OpaqueEvpnRoute {
    int ETHERNET_AUTO_DISCOVERY = 1;
    int MAC_IP_ADVERTISEMENT = 2;
    int INCLUSIVE_MULTICAST = 3;
    int ETHERNET_SEGMENT = 4;
    int IP_PREFIX = 5;

    int routeType();

    RouteDistinguisher rd();

    /** The route's identity in a RIB; equal keys name the same route. */
    Object key();
}
