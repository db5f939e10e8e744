package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.EvpnRoute;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The routes every neighbor sent (the Adj-RIBs-In, RFC 4271 §3.2) and, per route, the one in use (the Loc-RIB).
 * A route vxswitch hears from two reflectors is the same route twice: the first neighbor (in configuration order)
 * that has it is used, so losing one reflector changes nothing as long as the other still has it. A listener hears
 * each change of the route in use, and nothing when a second copy comes or goes.
 */
final class EvpnRib {
    /** The route in use for {@code key} changed: {@code now} is null when none is left, {@code before} when new. */
    interface Listener {
        void changed(Object key, ReceivedRoute now, ReceivedRoute before);
    }

    /** Per route key, each neighbor's copy (null: that neighbor has none); an entry has at least one copy. */
    private final Map<Object, ReceivedRoute[]> paths = new HashMap<>();
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
            listener.changed(key, now, before);
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
            listener.changed(key, now, before);
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
        List<Object> changedKeys = new ArrayList<>();
        List<ReceivedRoute> nows = new ArrayList<>();
        List<ReceivedRoute> befores = new ArrayList<>();
        for (Iterator<Map.Entry<Object, ReceivedRoute[]>> it = paths.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Object, ReceivedRoute[]> e = it.next();
            ReceivedRoute[] p = e.getValue();
            if (p[neighbor] == null) {
                continue;
            }
            ReceivedRoute before = best(p);
            p[neighbor] = null;
            ReceivedRoute now = best(p);
            if (now == null) {
                it.remove();
            }
            if (now != before) {
                changedKeys.add(e.getKey());
                nows.add(now);
                befores.add(before);
            }
        }
        received[neighbor] = 0;
        // the listener hears of the changes once the table is consistent again
        for (int i = 0; i < changedKeys.size(); i++) {
            listener.changed(changedKeys.get(i), nows.get(i), befores.get(i));
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
