package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.EvpnRoute;

import org.agrona.collections.Object2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * The routes every neighbor sent (the Adj-RIBs-In, RFC 4271 §3.2) and, per route, the one in use (the Loc-RIB).
 * A route vxswitch hears from two reflectors is the same route twice: the first neighbor (in configuration order)
 * that has it is used, so losing one reflector changes nothing as long as the other still has it. A listener hears
 * each change of the route in use, and nothing when a second copy comes or goes.
 */
final class EvpnRib {
    /** The route in use for a key changed: {@code now} is null when none is left, {@code before} when new. */
    interface Listener {
        void changed(ReceivedRoute now, ReceivedRoute before);
    }

    /**
     * Per route key, each neighbor's copy (null: that neighbor has none); an entry has at least one copy. Open
     * addressing (keys and values in one array) rather than a HashMap: a reflector's 100,000 routes are 100,000 fewer
     * live objects for the collector to copy while they arrive (docs/benchmarks.md, "Fewer live objects per route").
     */
    private final Object2ObjectHashMap<Object, ReceivedRoute[]> paths = new Object2ObjectHashMap<>();
    /** How many routes each neighbor has in {@link #paths}. */
    private final int[] received;
    private final Listener listener;

    EvpnRib(int neighbors, Listener listener) {
        this.received = new int[neighbors];
        this.listener = listener;
    }

    void announce(int neighbor, ReceivedRoute route) {
        Object key = route.route().key();
        ReceivedRoute[] p = paths.computeIfAbsent(key, k -> new ReceivedRoute[received.length]);
        ReceivedRoute before = best(p);
        if (p[neighbor] == null) {
            received[neighbor]++;
        }
        p[neighbor] = route;
        ReceivedRoute now = best(p);
        if (!now.equals(before)) {
            listener.changed(now, before);
        }
    }

    void withdraw(int neighbor, EvpnRoute route) {
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
        if (now != before) {
            listener.changed(now, before);
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
        List<ReceivedRoute> nows = new ArrayList<>();
        List<ReceivedRoute> befores = new ArrayList<>();
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
            if (now != before) {
                nows.add(now);
                befores.add(before);
            }
        });
        for (Object key : gone) {
            paths.remove(key);
        }
        received[neighbor] = 0;
        // the listener hears of the changes once the table is consistent again
        for (int i = 0; i < nows.size(); i++) {
            listener.changed(nows.get(i), befores.get(i));
        }
        return n;
    }

    /** How many routes {@code neighbor} has sent that are still valid (FRR's "PfxRcd"). */
    int received(int neighbor) {
        return received[neighbor];
    }

    /** The route in use per key, with the index of the neighbor it came from. */
    List<Selected> selected() {
        List<Selected> out = new ArrayList<>(paths.size());
        for (ReceivedRoute[] p : paths.values()) {
            for (int i = 0; i < p.length; i++) {
                if (p[i] != null) {
                    out.add(new Selected(p[i], i));
                    break;
                }
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
