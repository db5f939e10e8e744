package io.vxswitch.forwarding.fdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The learned entries of each port as a doubly linked list threaded through two int arrays, in order of the time each
 * was listed at ({@link #listedAt}), latest at the head. Static and vNIC entries are never here.
 *
 * <p>A refresh on the data path does not move its entry (that would be a write to three entries' links per frame,
 * from several threads): it only writes the entry's last-seen time. An entry seen since it was listed is put back in
 * order when it reaches the tail ({@link #oldestSeen}, {@link #expired}), so the tail these return is exactly the
 * least recently seen entry. Listing inserts in order from the head rather than at it, because threads read the
 * clock a moment before they get the lock: the walk is a step or two. Under the FDB's write lock.
 */
final class PortLru {
    static final int NONE = -1;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final int[] head;
    private final int[] tail;
    private final int[] count;
    /** Per entry: the next newer entry of the same port (toward the head). */
    private final int[] newer;
    /** Per entry: the next older entry of the same port (toward the tail). */
    private final int[] older;
    /** Per entry: the last-seen time its place in the list stands for. */
    private final long[] listedAt;
    private final BusiestPorts busiest;
    /** The FDB's last-seen column, which refreshes write without the lock. */
    private final long[] lastSeen;

    PortLru(int maxPorts, int capacity, long[] lastSeen) {
        this.lastSeen = lastSeen;
        head = new int[maxPorts];
        tail = new int[maxPorts];
        count = new int[maxPorts];
        newer = new int[capacity];
        older = new int[capacity];
        listedAt = new long[capacity];
        Arrays.fill(head, NONE);
        Arrays.fill(tail, NONE);
        busiest = new BusiestPorts(count);
    }

    /** Adds entry {@code id}, last seen at {@code seen}, to {@code port}. */
    void add(int port, int id, long seen) {
        link(port, id, seen);
        count[port]++;
        busiest.increased(port);
    }

    /** Takes entry {@code id} off {@code port}'s list. */
    void remove(int port, int id) {
        unlink(port, id);
        count[port]--;
        busiest.decreased(port);
    }

    /** Moves entry {@code id}, already on {@code port}'s list, to the place of an entry last seen at {@code seen}. */
    void resort(int port, int id, long seen) {
        unlink(port, id);
        link(port, id, seen);
    }

    long listedAt(int id) {
        return listedAt[id];
    }

    /** The tail of {@code port}'s list, or {@link #NONE}: the least recently listed entry, maybe seen since. */
    int oldest(int port) {
        return tail[port];
    }

    /** The least recently seen entry of {@code port}, or {@link #NONE}, once refreshed ones are back in order. */
    int oldestSeen(int port) {
        for (int id = tail[port]; id != NONE; id = tail[port]) {
            long seen = (long) LONGS.getOpaque(lastSeen, id);
            if (seen == listedAt[id]) {
                return id;
            }
            resort(port, id, seen);
        }
        return NONE;
    }

    /**
     * An entry of {@code port} not seen for {@code age} at {@code now}, or {@link #NONE}; call again after removing
     * it. Every entry was seen no earlier than the tail was listed, so once that is recent enough the walk stops: an
     * entry in use is put back in order at most once per aging time, not on every call.
     */
    int expired(int port, long now, long age) {
        for (int id = tail[port]; id != NONE && now - listedAt[id] >= age; id = tail[port]) {
            long seen = (long) LONGS.getOpaque(lastSeen, id);
            if (seen == listedAt[id]) {
                return id;
            }
            resort(port, id, seen);
        }
        return NONE;
    }

    int count(int port) {
        return count[port];
    }

    /** The port with the most learned entries; its count may be zero. */
    int busiestPort() {
        return busiest.top();
    }

    /** Links {@code id} in before the first entry, from the head, listed no later than {@code seen}. */
    private void link(int port, int id, long seen) {
        listedAt[id] = seen;
        int before = NONE; // the newer neighbour
        int after = head[port];
        while (after != NONE && listedAt[after] - seen > 0) {
            before = after;
            after = older[after];
        }
        newer[id] = before;
        older[id] = after;
        if (before == NONE) {
            head[port] = id;
        } else {
            older[before] = id;
        }
        if (after == NONE) {
            tail[port] = id;
        } else {
            newer[after] = id;
        }
    }

    private void unlink(int port, int id) {
        int n = newer[id];
        int o = older[id];
        if (n == NONE) {
            head[port] = o;
        } else {
            older[n] = o;
        }
        if (o == NONE) {
            tail[port] = n;
        } else {
            newer[o] = n;
        }
    }
}
