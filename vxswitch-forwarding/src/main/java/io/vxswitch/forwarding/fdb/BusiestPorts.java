package io.vxswitch.forwarding.fdb;

/**
 * A binary max-heap of ports ordered by how many MACs each has learned, so the port to evict from when the table
 * is full is found in O(1) and kept in O(log ports) per change. Counts change by one at a time, which usually
 * costs a single comparison. Ties are broken arbitrarily.
 */
final class BusiestPorts {
    private final int[] count;
    private final int[] heap;
    private final int[] position;

    /** @param count learned MACs per port, owned and updated by the caller, who reports every change */
    BusiestPorts(int[] count) {
        this.count = count;
        this.heap = new int[count.length];
        this.position = new int[count.length];
        for (int port = 0; port < count.length; port++) {
            heap[port] = port;
            position[port] = port;
        }
    }

    /** The port with the most learned MACs (possibly none). */
    int top() {
        return heap[0];
    }

    void increased(int port) {
        int i = position[port];
        int c = count[port];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            int p = heap[parent];
            if (count[p] >= c) {
                break;
            }
            place(p, i);
            i = parent;
        }
        place(port, i);
    }

    void decreased(int port) {
        int i = position[port];
        int c = count[port];
        int n = heap.length;
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && count[heap[child + 1]] > count[heap[child]]) {
                child++;
            }
            int q = heap[child];
            if (count[q] <= c) {
                break;
            }
            place(q, i);
            i = child;
        }
        place(port, i);
    }

    private void place(int port, int i) {
        heap[i] = port;
        position[port] = i;
    }
}
