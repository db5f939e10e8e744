package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.ExtendedCommunities;
import io.vxswitch.bgp.message.PathAttributes;
import io.vxswitch.bgp.message.PmsiTunnel;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What the EVPN layer reads from an UPDATE's path attributes, the same for all its routes: the VTEP behind them (the
 * next hop), the route targets they are imported by, the MAC mobility sequence number and sticky flag (RFC 7432 §7.7;
 * -1 / false without the community) and, for type-3 routes, the PMSI tunnel.
 *
 * <p>One object per UPDATE, shared by its routes (a reflector packs about 100 routes in one): the RIB keeps a reference
 * to it per route, not a copy.
 */
public record RouteAttributes(InetAddress nextHop, List<Long> routeTargets, long sequence, boolean sticky,
                              PmsiTunnel pmsi) {
    public RouteAttributes {
        routeTargets = List.copyOf(routeTargets);
    }

    public static RouteAttributes of(InetAddress nextHop, PathAttributes a) {
        long sequence = -1;
        boolean sticky = false;
        List<Long> targets = new ArrayList<>();
        for (long c : a.extendedCommunities()) {
            if (ExtendedCommunities.isRouteTarget(c)) {
                targets.add(c);
            } else if (ExtendedCommunities.isMacMobility(c)) {
                sequence = ExtendedCommunities.mobilitySequence(c);
                sticky = ExtendedCommunities.mobilitySticky(c);
            }
        }
        return new RouteAttributes(nextHop, targets, sequence, sticky, a.pmsiTunnel());
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
