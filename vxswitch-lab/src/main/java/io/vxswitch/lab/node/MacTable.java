package io.vxswitch.lab.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The filtering database of a plain learning bridge (IEEE 802.1D §7.9): (VLAN, MAC) → port, refreshed by
 * every frame from that source and forgotten after the ageing time. Expired entries are dropped lazily on
 * lookup; the lab is not a hot path.
 */
final class MacTable {
    private record Entry(int port, long lastSeen) {
    }

    static final int NOT_FOUND = -1;

    private final long agingNanos;
    private final Map<Long, Entry> entries = new LinkedHashMap<>();
    private long moves;

    MacTable(long agingNanos) {
        this.agingNanos = agingNanos;
    }

    void learn(int vlan, long mac, int port, long now) {
        Entry old = entries.put(key(vlan, mac), new Entry(port, now));
        if (old != null && old.port != port && now - old.lastSeen <= agingNanos) {
            moves++;
        }
    }

    int lookup(int vlan, long mac, long now) {
        long k = key(vlan, mac);
        Entry e = entries.get(k);
        if (e == null) {
            return NOT_FOUND;
        }
        if (now - e.lastSeen > agingNanos) {
            entries.remove(k);
            return NOT_FOUND;
        }
        return e.port;
    }

    long moves() {
        return moves;
    }

    List<MacTableRow> rows(long now, List<String> portNames) {
        List<MacTableRow> rows = new ArrayList<>();
        for (Map.Entry<Long, Entry> e : entries.entrySet()) {
            long age = now - e.getValue().lastSeen;
            if (age <= agingNanos) {
                long k = e.getKey();
                rows.add(new MacTableRow((int) (k >>> 48), k & 0xFFFF_FFFF_FFFFL, portNames.get(e.getValue().port),
                    age / 1_000_000_000L));
            }
        }
        return rows;
    }

    private static long key(int vlan, long mac) {
        return ((long) vlan << 48) | mac;
    }
}
