package io.vxswitch.evpn;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;

/**
 * Per remote MAC of one VNI, every received type-2 route that claims it (a MAC-only and a MAC/IP route per VTEP,
 * several VTEPs during a move), and which claim wins (RFC 7432 §15: sticky first, then the highest sequence number,
 * then the lowest VTEP address). A claim is the route's id in the RIB ({@link MacIpRoutes}) and the attributes it
 * came with.
 *
 * <p>A MAC almost always has one claim, and a fabric's 100,000 MACs arrive in a second or two: the one claim is kept
 * in two primitive-keyed maps (its route id, and its attributes, which are its UPDATE's and shared), with no object
 * per MAC; a MAC with several claims gets a {@link Several}. Every live object here is one more the collector copies
 * while a route storm arrives, during which the switch loop stands still (docs/benchmarks.md).
 */
final class RemoteClaims {
    private static final long NO_ROUTE = -1;

    /** MAC → the route id of its one claim (absent when it has several). */
    private final Long2LongHashMap oneRoute = new Long2LongHashMap(NO_ROUTE);
    /** MAC → the {@link RouteAttributes} of its one claim, or a {@link Several}. */
    private final Long2ObjectHashMap<Object> claims = new Long2ObjectHashMap<>();

    /** The claim in use for {@code mac}, or null when no route claims it. */
    RouteAttributes chosen(long mac) {
        Object c = claims.get(mac);
        if (c instanceof Several s) {
            return s.chosen();
        }
        return (RouteAttributes) c;
    }

    /** The highest sequence number any route gives {@code mac} (0 when none does). */
    long highestSequence(long mac) {
        Object c = claims.get(mac);
        if (c instanceof Several s) {
            return s.highestSequence();
        }
        return c == null ? 0 : ((RouteAttributes) c).effectiveSequence();
    }

    /** Route {@code id} claims {@code mac} with {@code a}, replacing its earlier claim if any. */
    void put(long mac, int id, RouteAttributes a) {
        Object c = claims.get(mac);
        if (c == null || c instanceof RouteAttributes && oneRoute.get(mac) == id) {
            claims.put(mac, a);
            oneRoute.put(mac, id);
        } else if (c instanceof Several s) {
            s.put(id, a);
        } else {
            int first = (int) oneRoute.remove(mac);
            claims.put(mac, new Several(first, (RouteAttributes) c, id, a));
        }
    }

    /** Route {@code id} no longer claims {@code mac}. */
    void remove(long mac, int id) {
        Object c = claims.get(mac);
        if (c instanceof RouteAttributes) {
            if (oneRoute.get(mac) == id) {
                claims.remove(mac);
                oneRoute.remove(mac);
            }
        } else if (c instanceof Several s && s.remove(id) && s.size == 1) {
            claims.put(mac, s.attributes[0]);
            oneRoute.put(mac, s.ids[0]);
        }
    }

    /** Two claims install the same thing: the same VTEP with the same sequence number. */
    static boolean sameInstall(RouteAttributes a, RouteAttributes b) {
        return a != null && b != null && a.nextHop().equals(b.nextHop())
                && a.effectiveSequence() == b.effectiveSequence();
    }

    private static boolean better(RouteAttributes a, RouteAttributes b) {
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
        private int[] ids = new int[4];
        private RouteAttributes[] attributes = new RouteAttributes[4];
        private int size;

        Several(int firstId, RouteAttributes first, int secondId, RouteAttributes second) {
            ids[0] = firstId;
            attributes[0] = first;
            ids[1] = secondId;
            attributes[1] = second;
            size = 2;
        }

        void put(int id, RouteAttributes a) {
            for (int i = 0; i < size; i++) {
                if (ids[i] == id) {
                    attributes[i] = a;
                    return;
                }
            }
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                attributes = Arrays.copyOf(attributes, size * 2);
            }
            ids[size] = id;
            attributes[size++] = a;
        }

        /** Removes route {@code id}'s claim; false if it had none. */
        boolean remove(int id) {
            for (int i = 0; i < size; i++) {
                if (ids[i] == id) {
                    size--;
                    ids[i] = ids[size];
                    attributes[i] = attributes[size];
                    attributes[size] = null;
                    return true;
                }
            }
            return false;
        }

        RouteAttributes chosen() {
            RouteAttributes best = attributes[0];
            for (int i = 1; i < size; i++) {
                if (better(attributes[i], best)) {
                    best = attributes[i];
                }
            }
            return best;
        }

        long highestSequence() {
            long s = 0;
            for (int i = 0; i < size; i++) {
                s = Math.max(s, attributes[i].effectiveSequence());
            }
            return s;
        }
    }
}
