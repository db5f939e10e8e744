package io.vxswitch.lab.node;

import java.util.ArrayList;
import java.util.List;

/**
 * A router's IPv4 table: connected subnets and static routes, looked up by longest prefix match
 * (RFC 1812 §5.2.4.3). Among equally long prefixes the first added wins, and connected routes are added
 * first, as a connected route's administrative distance (0) beats a static one's (1).
 */
final class RoutingTable {
    private final List<Route> routes = new ArrayList<>();

    void add(Route route) {
        if (route.prefixLength() < 0 || route.prefixLength() > 32) {
            throw new IllegalArgumentException("prefix length must be 0-32, got " + route.prefixLength());
        }
        int mask = Prefixes.mask(route.prefixLength());
        if ((route.network() & ~mask) != 0) {
            throw new IllegalArgumentException("route to " + Prefixes.format(route.network(), route.prefixLength())
                + " has host bits set; did you mean " + Prefixes.format(route.network() & mask, route.prefixLength())
                + "?");
        }
        routes.add(route);
    }

    /** The most specific route to {@code destination}, or null if none matches. */
    Route lookup(int destination) {
        Route best = null;
        for (Route r : routes) {
            if (Prefixes.contains(r.network(), r.prefixLength(), destination)
                && (best == null || r.prefixLength() > best.prefixLength())) {
                best = r;
            }
        }
        return best;
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Route r : routes) {
            sb.append(r).append('\n');
        }
        return sb.toString();
    }
}
