package io.vxswitch.vxlan;

import java.util.Arrays;

/**
 * Where one VNI floods: the remote VTEP ids of its head-end replication list, or its multicast group.
 * The data path reads it without allocating: {@code for (int i = 0; i < t.size(); i++) send(t.vtepId(i))}.
 * Changed only through {@link FloodList}.
 */
public final class FloodTargets {
    static final FloodTargets EMPTY = new FloodTargets(0);

    private final int vni;
    private int[] ids = new int[4];
    private int size;
    private boolean multicast;
    private long groupHigh;
    private long groupLow;

    FloodTargets(int vni) {
        this.vni = vni;
    }

    public int vni() {
        return vni;
    }

    public FloodMode mode() {
        if (multicast) {
            return FloodMode.MULTICAST;
        }
        return size > 0 ? FloodMode.HEAD_END_REPLICATION : FloodMode.NONE;
    }

    /** Number of head-end replication peers (0 in multicast mode). */
    public int size() {
        return size;
    }

    /** The id in {@link RemoteVteps} of peer {@code i}, {@code 0 <= i < size()}; in the order added. */
    public int vtepId(int i) {
        return ids[i];
    }

    public boolean contains(int vtepId) {
        return indexOf(vtepId) >= 0;
    }

    /** The multicast group, or null when the VNI uses head-end replication. */
    public VtepAddress group() {
        return multicast ? new VtepAddress(groupHigh, groupLow) : null;
    }

    /** The group's high 64 bits ({@link VtepAddress} form); no allocation. */
    public long groupHigh() {
        return groupHigh;
    }

    public long groupLow() {
        return groupLow;
    }

    boolean add(int vtepId) {
        if (contains(vtepId)) {
            return false;
        }
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = vtepId;
        return true;
    }

    boolean remove(int vtepId) {
        int i = indexOf(vtepId);
        if (i < 0) {
            return false;
        }
        System.arraycopy(ids, i + 1, ids, i, size - i - 1); // keep the order peers were added in
        size--;
        return true;
    }

    void group(long high, long low) {
        multicast = true;
        groupHigh = high;
        groupLow = low;
    }

    void clearGroup() {
        multicast = false;
        groupHigh = 0;
        groupLow = 0;
    }

    private int indexOf(int vtepId) {
        for (int i = 0; i < size; i++) {
            if (ids[i] == vtepId) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return switch (mode()) {
            case NONE -> "VNI " + vni + ": no flood targets";
            case MULTICAST -> "VNI " + vni + ": multicast group " + group();
            case HEAD_END_REPLICATION -> "VNI " + vni + ": head-end replication to VTEP ids "
                + Arrays.toString(Arrays.copyOf(ids, size));
        };
    }
}
