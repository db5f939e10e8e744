package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.EvpnRoute;
import io.vxswitch.bgp.evpn.MacIpRoute;

import org.agrona.collections.IntArrayList;
import org.agrona.collections.Object2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The routes every neighbor sent (the Adj-RIBs-In, RFC 4271 §3.2) and, per route, the one in use (the Loc-RIB).
 * A route vxswitch hears from two reflectors is the same route twice: the first neighbor (in configuration order)
 * that has it is used, so losing one reflector changes nothing as long as the other still has it. A listener hears
 * each change of the route in use, and nothing when a second copy (with the same values) comes or goes.
 *
 * <p>Type-2 routes, nearly all of a fabric's routes, are kept in columns ({@link MacIpRoutes}); the few others
 * (type 3, and the types vxswitch only shows) as objects.
 */
final class EvpnRib {
    /**
     * The route in use for a key changed: {@code now} is null when none is left, {@code before} when new. {@code id}
     * is a type-2 route's id in the RIB, the same for its key while any neighbor has it (-1 for other types).
     */
    interface Listener {
        void changed(int id, ReceivedRoute now, ReceivedRoute before);
    }

    /** Per route key of the routes other than type 2, each neighbor's copy (null: that neighbor has none). */
    private final Object2ObjectHashMap<Object, ReceivedRoute[]> paths = new Object2ObjectHashMap<>();
    private final MacIpRoutes macIp;
    /** How many routes each neighbor has, of every type. */
    private final int[] received;
    private final Listener listener;

    EvpnRib(int neighbors, Listener listener) {
        this.received = new int[neighbors];
        this.macIp = new MacIpRoutes(neighbors);
        this.listener = listener;
    }

    void announce(int neighbor, ReceivedRoute route) {
        if (route.route() instanceof MacIpRoute m) {
            announceMacIp(neighbor, m, route);
            return;
        }
        Object key = route.route().key();
        ReceivedRoute[] p = paths.computeIfAbsent(key, k -> new ReceivedRoute[received.length]);
        ReceivedRoute before = best(p);
        if (p[neighbor] == null) {
            received[neighbor]++;
        }
        p[neighbor] = route;
        ReceivedRoute now = best(p);
        if (!now.equals(before)) {
            listener.changed(-1, now, before);
        }
    }

    void withdraw(int neighbor, EvpnRoute route) {
        if (route instanceof MacIpRoute m) {
            withdrawMacIp(neighbor, m);
            return;
        }
        Object key = route.key();
        ReceivedRoute[] p = paths.get(key);
        if (p == null || p[neighbor] == null) {
            return;
        }
        ReceivedRoute before = best(p);
        p[neighbor] = null;
        received[neighbor]--;
        ReceivedRoute now = best(p);
        if (now == null) {
            paths.remove(key);
        }
        if (!Objects.equals(now, before)) {
            listener.changed(-1, now, before);
        }
    }

    private void announceMacIp(int neighbor, MacIpRoute m, ReceivedRoute route) {
        int id = macIp.find(m);
        if (id == MacIpRoutes.NONE) {
            id = macIp.add(m);
        } else if (macIp.sameCopy(id, neighbor, m, route.attributes())) {
            return; // sent again with nothing new (a route refresh, a second reflector's copy of an UPDATE)
        }
        int best = macIp.first(id);
        if (!macIp.has(id, neighbor)) {
            received[neighbor]++;
        }
        if (best != MacIpRoutes.NONE && best < neighbor) {
            macIp.set(id, neighbor, m, route.attributes()); // a copy beside the one in use: nothing changes
            return;
        }
        ReceivedRoute before = best == MacIpRoutes.NONE ? null : macIp.copy(id, best);
        macIp.set(id, neighbor, m, route.attributes());
        if (!route.equals(before)) {
            listener.changed(id, route, before);
        }
    }

    private void withdrawMacIp(int neighbor, MacIpRoute m) {
        int id = macIp.find(m);
        if (id == MacIpRoutes.NONE || !macIp.has(id, neighbor)) {
            return;
        }
        received[neighbor]--;
        Change c = clearMacIp(id, neighbor);
        if (c != null) {
            listener.changed(c.id, c.now, c.before);
        }
        if (macIp.copies(id) == 0) {
            macIp.remove(id); // after the listener: the id names the route until then
        }
    }

    /**
     * A neighbor's session ended: everything it taught goes (RFC 4271 §8.2.2). Returns how many routes it had. One
     * pass over the table: cheaper, for a reflector's 100,000 routes, than a set of keys per neighbor kept for this.
     */
    int dropNeighbor(int neighbor) {
        int n = received[neighbor];
        if (n == 0) {
            return 0;
        }
        List<Change> changes = new ArrayList<>();
        List<Object> gone = new ArrayList<>();
        // removed after the pass: open addressing moves entries on a removal, under an iterator as well
        paths.forEach((key, p) -> {
            if (p[neighbor] == null) {
                return;
            }
            ReceivedRoute before = best(p);
            p[neighbor] = null;
            ReceivedRoute now = best(p);
            if (now == null) {
                gone.add(key);
            }
            if (!Objects.equals(now, before)) {
                changes.add(new Change(-1, now, before));
            }
        });
        for (Object key : gone) {
            paths.remove(key);
        }
        IntArrayList goneIds = new IntArrayList();
        for (int id = 0; id < macIp.idLimit(); id++) {
            if (!macIp.live(id) || !macIp.has(id, neighbor)) {
                continue;
            }
            Change c = clearMacIp(id, neighbor);
            if (c != null) {
                changes.add(c);
            }
            if (macIp.copies(id) == 0) {
                goneIds.addInt(id);
            }
        }
        received[neighbor] = 0;
        // the listener hears of the changes once the table is consistent again; ids are freed after it has
        for (Change c : changes) {
            listener.changed(c.id, c.now, c.before);
        }
        for (int i = 0; i < goneIds.size(); i++) {
            macIp.remove(goneIds.getInt(i));
        }
        return n;
    }

    /**
     * Removes {@code neighbor}'s copy of type-2 route {@code id}; returns the change of the route in use it makes, or
     * null (the copy was not the one in use, or the next neighbor's copy is the same).
     */
    private Change clearMacIp(int id, int neighbor) {
        if (macIp.first(id) != neighbor) {
            macIp.clear(id, neighbor);
            return null;
        }
        ReceivedRoute before = macIp.copy(id, neighbor);
        macIp.clear(id, neighbor);
        int next = macIp.first(id);
        ReceivedRoute now = next == MacIpRoutes.NONE ? null : macIp.copy(id, next);
        return before.equals(now) ? null : new Change(id, now, before);
    }

    private record Change(int id, ReceivedRoute now, ReceivedRoute before) {
    }

    /** How many routes {@code neighbor} has sent that are still valid (FRR's "PfxRcd"). */
    int received(int neighbor) {
        return received[neighbor];
    }

    /** The route in use per key, with the index of the neighbor it came from. */
    List<Selected> selected() {
        List<Selected> out = new ArrayList<>(paths.size() + macIp.size());
        for (ReceivedRoute[] p : paths.values()) {
            for (int i = 0; i < p.length; i++) {
                if (p[i] != null) {
                    out.add(new Selected(p[i], i));
                    break;
                }
            }
        }
        for (int id = 0; id < macIp.idLimit(); id++) {
            int best = macIp.live(id) ? macIp.first(id) : MacIpRoutes.NONE;
            if (best != MacIpRoutes.NONE) {
                out.add(new Selected(macIp.copy(id, best), best));
            }
        }
        return out;
    }

    record Selected(ReceivedRoute route, int neighbor) {
    }

    private static ReceivedRoute best(ReceivedRoute[] p) {
        for (ReceivedRoute r : p) {
            if (r != null) {
                return r;
            }
        }
        return null;
    }
}
