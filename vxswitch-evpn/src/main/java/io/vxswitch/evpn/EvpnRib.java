package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.EvpnRoute;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    private final Map<Object, ReceivedRoute[]> paths = new HashMap<>();
    private final List<Set<Object>> keysByNeighbor = new ArrayList<>();
    private final Listener listener;

    EvpnRib(int neighbors, Listener listener) {
        for (int i = 0; i < neighbors; i++) {
            keysByNeighbor.add(new HashSet<>());
        }
        this.listener = listener;
    }

    void announce(int neighbor, ReceivedRoute route) {
        Object key = route.route().key();
        ReceivedRoute[] p = paths.computeIfAbsent(key, k -> new ReceivedRoute[keysByNeighbor.size()]);
        ReceivedRoute before = best(p);
        p[neighbor] = route;
        keysByNeighbor.get(neighbor).add(key);
        ReceivedRoute now = best(p);
        if (!now.equals(before)) {
            listener.changed(key, now, before);
        }
    }

    void withdraw(int neighbor, EvpnRoute route) {
        Object key = route.key();
        if (keysByNeighbor.get(neighbor).remove(key)) {
            remove(neighbor, key);
        }
    }

    /** A neighbor's session ended: everything it taught goes (RFC 4271 §8.2.2). Returns how many routes it had. */
    int dropNeighbor(int neighbor) {
        Set<Object> keys = keysByNeighbor.get(neighbor);
        int n = keys.size();
        for (Object key : keys) {
            remove(neighbor, key);
        }
        keys.clear();
        return n;
    }

    private void remove(int neighbor, Object key) {
        ReceivedRoute[] p = paths.get(key);
        ReceivedRoute before = best(p);
        p[neighbor] = null;
        ReceivedRoute now = best(p);
        if (now == null) {
            paths.remove(key);
        }
        if (now != before) {
            listener.changed(key, now, before);
        }
    }

    /** How many routes {@code neighbor} has sent that are still valid (FRR's "PfxRcd"). */
    int received(int neighbor) {
        return keysByNeighbor.get(neighbor).size();
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
