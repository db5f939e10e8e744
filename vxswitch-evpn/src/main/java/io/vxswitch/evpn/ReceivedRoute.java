package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.EvpnRoute;
import io.vxswitch.bgp.message.PathAttributes;
import io.vxswitch.bgp.message.PmsiTunnel;

import java.net.InetAddress;
import java.util.List;

/**
 * One EVPN route as a neighbor sent it, with its UPDATE's {@link RouteAttributes}. A value passed along as routes
 * change; the RIB keeps type-2 routes in columns ({@link MacIpRoutes}), not as these.
 */
public record ReceivedRoute(EvpnRoute route, RouteAttributes attributes) {
    public ReceivedRoute(EvpnRoute route, InetAddress nextHop, List<Long> routeTargets, long sequence, boolean sticky,
                         PmsiTunnel pmsi) {
        this(route, new RouteAttributes(nextHop, routeTargets, sequence, sticky, pmsi));
    }

    public static ReceivedRoute of(EvpnRoute route, InetAddress nextHop, PathAttributes a) {
        return new ReceivedRoute(route, RouteAttributes.of(nextHop, a));
    }

    /** Another route of the same UPDATE, sharing its attributes. */
    public ReceivedRoute withRoute(EvpnRoute other) {
        return new ReceivedRoute(other, attributes);
    }

    public InetAddress nextHop() {
        return attributes.nextHop();
    }

    public List<Long> routeTargets() {
        return attributes.routeTargets();
    }

    public long sequence() {
        return attributes.sequence();
    }

    public boolean sticky() {
        return attributes.sticky();
    }

    public PmsiTunnel pmsi() {
        return attributes.pmsi();
    }

    /** The sequence number to compare with (RFC 7432 §15.1: a route without the community counts as 0). */
    public long effectiveSequence() {
        return attributes.effectiveSequence();
    }

    public boolean importedBy(List<Long> targets) {
        return attributes.importedBy(targets);
    }
}
