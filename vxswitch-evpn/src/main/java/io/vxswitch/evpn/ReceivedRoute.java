package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.EvpnRoute;
import io.vxswitch.bgp.evpn.ExtendedCommunities;
import io.vxswitch.bgp.message.PathAttributes;
import io.vxswitch.bgp.message.PmsiTunnel;

import java.net.InetAddress;
import java.util.List;

/**
 * One EVPN route as a neighbor sent it, with what the EVPN layer reads from its attributes: the route targets it is
 * imported by, its MAC mobility sequence number and sticky flag (RFC 7432 §7.7, -1 / false without the community),
 * the VTEP behind it (the next hop) and, for a type-3 route, the PMSI tunnel.
 */
public record ReceivedRoute(EvpnRoute route, InetAddress nextHop, List<Long> routeTargets, long sequence,
                            boolean sticky, PmsiTunnel pmsi) {
    public ReceivedRoute {
        routeTargets = List.copyOf(routeTargets);
    }

    public static ReceivedRoute of(EvpnRoute route, InetAddress nextHop, PathAttributes a) {
        long sequence = -1;
        boolean sticky = false;
        List<Long> targets = new java.util.ArrayList<>();
        for (long c : a.extendedCommunities()) {
            if (ExtendedCommunities.isRouteTarget(c)) {
                targets.add(c);
            } else if (ExtendedCommunities.isMacMobility(c)) {
                sequence = ExtendedCommunities.mobilitySequence(c);
                sticky = ExtendedCommunities.mobilitySticky(c);
            }
        }
        return new ReceivedRoute(route, nextHop, targets, sequence, sticky, a.pmsiTunnel());
    }

    /**
     * The same attributes for another route of the same UPDATE: its routes share one list of route targets, so
     * 100,000 routes held do not hold 100,000 copies of it.
     */
    public ReceivedRoute withRoute(EvpnRoute other) {
        return new ReceivedRoute(other, nextHop, routeTargets, sequence, sticky, pmsi);
    }

    /** The sequence number to compare with (RFC 7432 §15.1: a route without the community counts as 0). */
    public long effectiveSequence() {
        return Math.max(0, sequence);
    }

    public boolean importedBy(List<Long> targets) {
        for (long t : routeTargets) {
            if (targets.contains(t)) {
                return true;
            }
        }
        return false;
    }
}
