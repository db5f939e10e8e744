package io.vxswitch.linux.vhost;

import java.util.ArrayList;
import java.util.List;

/**
 * Feature bits of a virtio-net device (virtio 1.x §5.1.3, §6; {@code linux/virtio_net.h}) and of the vhost-user
 * protocol (vhost-user.rst, "Protocol features"), as far as this back-end offers or reads them.
 */
public final class VirtioFeatures {
    /** The device takes frames whose checksum is left to fill in (the driver sends NEEDS_CSUM). */
    public static final int NET_F_CSUM = 0;
    /** The driver takes frames whose checksum is left to fill in. */
    public static final int NET_F_GUEST_CSUM = 1;
    public static final int NET_F_GUEST_TSO4 = 7;
    public static final int NET_F_GUEST_TSO6 = 8;
    public static final int NET_F_GUEST_ECN = 9;
    public static final int NET_F_HOST_TSO4 = 11;
    public static final int NET_F_HOST_TSO6 = 12;
    public static final int NET_F_HOST_ECN = 13;
    /** Receive buffers may be merged: a frame spans several, counted in the header's {@code num_buffers}. */
    public static final int NET_F_MRG_RXBUF = 15;
    public static final int NET_F_MQ = 22;
    /** Legacy: any descriptor layout (header and frame in one buffer or several); implied by VERSION_1. */
    public static final int F_ANY_LAYOUT = 27;
    public static final int RING_F_INDIRECT_DESC = 28;
    public static final int RING_F_EVENT_IDX = 29;
    /** vhost-user's own bit in the virtio feature word: protocol features are negotiated. */
    public static final int VHOST_USER_F_PROTOCOL_FEATURES = 30;
    public static final int F_VERSION_1 = 32;
    public static final int NET_F_GUEST_USO4 = 54;
    public static final int NET_F_GUEST_USO6 = 55;
    public static final int NET_F_HOST_USO = 56;

    // vhost-user protocol features
    public static final int PROTOCOL_F_MQ = 0;
    public static final int PROTOCOL_F_REPLY_ACK = 3;

    private VirtioFeatures() {
    }

    public static long bit(int feature) {
        return 1L << feature;
    }

    public static boolean has(long features, int feature) {
        return (features & bit(feature)) != 0;
    }

    /**
     * What this back-end offers: version 1 rings, mergeable receive buffers, protocol features; with
     * {@code offloads}, checksum and segmentation offload both ways (TSO for IPv4 and IPv6, USO, ECN), which the
     * switch's super-frame path carries whole and finishes in software where a wire needs it.
     */
    public static long offered(boolean offloads) {
        long f = bit(F_VERSION_1) | bit(NET_F_MRG_RXBUF) | bit(F_ANY_LAYOUT) | bit(VHOST_USER_F_PROTOCOL_FEATURES);
        if (offloads) {
            for (int b : new int[] {NET_F_CSUM, NET_F_GUEST_CSUM, NET_F_HOST_TSO4, NET_F_HOST_TSO6, NET_F_HOST_ECN,
                NET_F_HOST_USO, NET_F_GUEST_TSO4, NET_F_GUEST_TSO6, NET_F_GUEST_ECN, NET_F_GUEST_USO4,
                NET_F_GUEST_USO6}) {
                f |= bit(b);
            }
        }
        return f;
    }

    /** The protocol features offered: REPLY_ACK, and MQ (with one queue pair) as the document advises. */
    public static long offeredProtocol() {
        return bit(PROTOCOL_F_MQ) | bit(PROTOCOL_F_REPLY_ACK);
    }

    /** The bytes of {@code struct virtio_net_hdr} in front of every frame: 12 with VERSION_1 or MRG_RXBUF, else 10. */
    public static int headerLength(long features) {
        return has(features, F_VERSION_1) || has(features, NET_F_MRG_RXBUF) ? 12 : 10;
    }

    /** The names of the features a log line cares about. */
    public static String describe(long features) {
        List<String> names = new ArrayList<>();
        if (has(features, F_VERSION_1)) {
            names.add("virtio 1.0");
        }
        if (has(features, NET_F_MRG_RXBUF)) {
            names.add("mergeable rx buffers");
        }
        if (has(features, NET_F_CSUM)) {
            names.add("csum");
        }
        if (has(features, NET_F_HOST_TSO4) || has(features, NET_F_HOST_TSO6)) {
            names.add("tso");
        }
        if (has(features, NET_F_HOST_USO)) {
            names.add("uso");
        }
        if (has(features, NET_F_GUEST_CSUM)) {
            names.add("guest csum");
        }
        if (has(features, NET_F_GUEST_TSO4) || has(features, NET_F_GUEST_TSO6)) {
            names.add("guest tso");
        }
        if (has(features, NET_F_MQ)) {
            names.add("multiqueue");
        }
        return names.isEmpty() ? "no features" : String.join(", ", names);
    }
}
