package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.MacIpRoute;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;

/**
 * Per remote MAC of one VNI, every received type-2 route that claims it (a MAC-only and a MAC/IP route per VTEP,
 * several VTEPs during a move), and which claim wins (RFC 7432 §15: sticky first, then the highest sequence number,
 * then the lowest VTEP address).
 *
 * <p>A MAC almost always has one claim, and a fabric's 100,000 MACs arrive in a second or two: the one claim is
 * stored as the received route itself, with no holder around it, and a MAC with several claims gets a {@link Several}.
 * Every live object here is one more the collector copies while a route storm arrives, during which the switch loop
 * stands still (docs/benchmarks.md, "Fewer live objects per route").
 */
final class RemoteClaims {
    /** MAC → its one {@link ReceivedRoute}, or a {@link Several}. */
    private final Long2ObjectHashMap<Object> claims = new Long2ObjectHashMap<>();

    /** The claim in use for {@code mac}, or null when no route claims it. */
    ReceivedRoute chosen(long mac) {
        Object c = claims.get(mac);
        if (c instanceof Several s) {
            return s.chosen();
        }
        return (ReceivedRoute) c;
    }

    /** The highest sequence number any route gives {@code mac} (0 when none does). */
    long highestSequence(long mac) {
        Object c = claims.get(mac);
        if (c instanceof Several s) {
            return s.highestSequence();
        }
        return c == null ? 0 : ((ReceivedRoute) c).effectiveSequence();
    }

    /** {@code route} claims its MAC, replacing the claim of the same route (same RD, tag, MAC and IP) if any. */
    void put(ReceivedRoute route) {
        MacIpRoute r = (MacIpRoute) route.route();
        Object c = claims.get(r.mac());
        if (c == null || c instanceof ReceivedRoute one && sameRoute(one, r)) {
            claims.put(r.mac(), route);
        } else if (c instanceof Several s) {
            s.put(route);
        } else {
            claims.put(r.mac(), new Several((ReceivedRoute) c, route));
        }
    }

    /** The route {@code route} names no longer claims its MAC. */
    void remove(MacIpRoute route) {
        long mac = route.mac();
        Object c = claims.get(mac);
        if (c instanceof ReceivedRoute one) {
            if (sameRoute(one, route)) {
                claims.remove(mac);
            }
        } else if (c instanceof Several s) {
            ReceivedRoute last = s.remove(route);
            if (last != null) {
                claims.put(mac, last);
            }
        }
    }

    /** Two claims install the same thing: the same VTEP with the same sequence number. */
    static boolean sameInstall(ReceivedRoute a, ReceivedRoute b) {
        return a != null && b != null && a.nextHop().equals(b.nextHop())
                && a.effectiveSequence() == b.effectiveSequence();
    }

    private static boolean sameRoute(ReceivedRoute claim, MacIpRoute route) {
        return ((MacIpRoute) claim.route()).sameRoute(route);
    }

    private static boolean better(ReceivedRoute a, ReceivedRoute b) {
        if (a.sticky() != b.sticky()) {
            return a.sticky();
        }
        if (a.effectiveSequence() != b.effectiveSequence()) {
            return a.effectiveSequence() > b.effectiveSequence();
        }
        return EvpnVni.compare(a.nextHop(), b.nextHop()) < 0;
    }

    /** Two or more claims of one MAC, searched in order (there are rarely more than four). */
    private static final class Several {
        private ReceivedRoute[] routes = new ReceivedRoute[4];
        private int size;

        Several(ReceivedRoute first, ReceivedRoute second) {
            routes[0] = first;
            routes[1] = second;
            size = 2;
        }

        void put(ReceivedRoute route) {
            MacIpRoute r = (MacIpRoute) route.route();
            for (int i = 0; i < size; i++) {
                if (sameRoute(routes[i], r)) {
                    routes[i] = route;
                    return;
                }
            }
            if (size == routes.length) {
                routes = Arrays.copyOf(routes, size * 2);
            }
            routes[size++] = route;
        }

        /** Removes the route's claim; returns the one claim left when only one is, else null. */
        ReceivedRoute remove(MacIpRoute route) {
            for (int i = 0; i < size; i++) {
                if (sameRoute(routes[i], route)) {
                    size--;
                    routes[i] = routes[size];
                    routes[size] = null;
                    break;
                }
            }
            return size == 1 ? routes[0] : null;
        }

        ReceivedRoute chosen() {
            ReceivedRoute best = routes[0];
            for (int i = 1; i < size; i++) {
                if (better(routes[i], best)) {
                    best = routes[i];
                }
            }
            return best;
        }

        long highestSequence() {
            long s = 0;
            for (int i = 0; i < size; i++) {
                s = Math.max(s, routes[i].effectiveSequence());
            }
            return s;
        }
    }
}
