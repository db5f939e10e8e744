package io.vxswitch.forwarding.fdb;

import java.util.Arrays;

/**
 * The learned entries of each port as a doubly linked list threaded through two int arrays, in order of the time each
 * was listed at ({@link #listedAt}), latest at the head. Static entries are never here.
 *
 * <p>A refresh on the data path does not move its entry (that would be a write to three entries' links per frame,
 * from several threads); the FDB puts an entry seen since it was listed back in order when it reaches the tail
 * ({@link #resort}). Listing inserts in order from the head rather than at it, because threads read the clock a
 * moment before they get the lock: the walk is a step or two.
 */
final class PortLru {
    static final int NONE = -1;

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

    PortLru(int maxPorts, int capacity) {
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

    /** The least recently seen entry of {@code port}, or {@link #NONE}. */
    int oldest(int port) {
        return tail[port];
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
