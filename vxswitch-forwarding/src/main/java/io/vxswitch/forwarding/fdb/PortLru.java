package io.vxswitch.forwarding.fdb;

import java.util.Arrays;

/**
 * The learned entries of each port as a doubly linked list threaded through two int arrays, most recently seen at
 * the head. The tail is the entry that ages out first and the one evicted first. Static entries are never here.
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
    private final BusiestPorts busiest;

    PortLru(int maxPorts, int capacity) {
        head = new int[maxPorts];
        tail = new int[maxPorts];
        count = new int[maxPorts];
        newer = new int[capacity];
        older = new int[capacity];
        Arrays.fill(head, NONE);
        Arrays.fill(tail, NONE);
        busiest = new BusiestPorts(count);
    }

    /** Adds entry {@code id} to {@code port} as its most recently seen. */
    void add(int port, int id) {
        link(port, id);
        count[port]++;
        busiest.increased(port);
    }

    /** Takes entry {@code id} off {@code port}'s list. */
    void remove(int port, int id) {
        unlink(port, id);
        count[port]--;
        busiest.decreased(port);
    }

    /** Marks entry {@code id}, already on {@code port}'s list, as the most recently seen. */
    void touch(int port, int id) {
        if (head[port] != id) {
            unlink(port, id);
            link(port, id);
        }
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

    private void link(int port, int id) {
        int first = head[port];
        newer[id] = NONE;
        older[id] = first;
        if (first == NONE) {
            tail[port] = id;
        } else {
            newer[first] = id;
        }
        head[port] = id;
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
