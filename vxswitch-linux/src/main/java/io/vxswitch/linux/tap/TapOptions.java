package io.vxswitch.linux.tap;

import io.vxswitch.packet.MacAddress;

/**
 * How to create a TAP device.
 *
 * @param mtu        the MTU to set, or {@link #KEEP_MTU} for the kernel's default (1500)
 * @param mac        the MAC address to set, or {@link #KEEP_MAC} for the random one the kernel picks
 * @param vnetHeader {@code IFF_VNET_HDR}: every frame read or written is preceded by a 10-byte
 *                   {@code struct virtio_net_hdr} (offload metadata); off unless the caller handles it
 * @param multiQueue {@code IFF_MULTI_QUEUE}: creating the same name again adds a queue (one fd per poll
 *                   loop) instead of failing with EBUSY
 * @param offloads   {@code TUNSETOFFLOAD} flags ({@link #TUN_F_CSUM}, {@link #TUN_F_TSO4}, ...): what the kernel may
 *                   hand over unfinished (checksum to fill in, TCP super-frames to cut); needs the vnet header
 */
public record TapOptions(int mtu, long mac, boolean vnetHeader, boolean multiQueue, int offloads) {
    /** The reader fills in checksums (frames come with {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}). */
    public static final int TUN_F_CSUM = 0x01;
    /** The reader takes TCP/IPv4 super-frames (needs {@link #TUN_F_CSUM}). */
    public static final int TUN_F_TSO4 = 0x02;
    /** The reader takes TCP/IPv6 super-frames (needs {@link #TUN_F_CSUM}). */
    public static final int TUN_F_TSO6 = 0x04;
    /** The reader takes UDP/IPv4 super-frames ({@code GSO_UDP_L4}, Linux 6.2+; needs {@link #TUN_F_CSUM}). */
    public static final int TUN_F_USO4 = 0x20;
    /** The reader takes UDP/IPv6 super-frames (Linux 6.2+). */
    public static final int TUN_F_USO6 = 0x40;
    /** Checksum and TCP segmentation offload, both address families: what a virtio-net NIC usually has. */
    public static final int TSO = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
    /** UDP segmentation offload, both families: asked for with {@link #TSO} where the kernel has it. */
    public static final int USO = TUN_F_USO4 | TUN_F_USO6;

    public static final int KEEP_MTU = 0;
    public static final long KEEP_MAC = -1;

    public TapOptions {
        if (mtu != KEEP_MTU && (mtu < 68 || mtu > 65535)) {
            throw new IllegalArgumentException("tap MTU " + mtu + " is out of range 68-65535");
        }
        if (mac != KEEP_MAC && (mac == 0 || !MacAddress.isUnicast(mac) || (mac & ~MacAddress.MASK) != 0)) {
            throw new IllegalArgumentException("tap MAC " + Long.toHexString(mac)
                + " must be a non-zero unicast 48-bit address");
        }
        if (offloads != 0 && !vnetHeader) {
            throw new IllegalArgumentException("tap offloads need the vnet header, which carries what is left to do");
        }
        if ((offloads & ~(TSO | USO)) != 0 || offloads != 0 && (offloads & TUN_F_CSUM) == 0) {
            throw new IllegalArgumentException("tap offloads 0x" + Integer.toHexString(offloads)
                + ": only CSUM, TSO4, TSO6, USO4 and USO6 are handled, and segmentation needs CSUM");
        }
    }

    /** Plain Ethernet frames, kernel default MTU and MAC, one queue. */
    public static TapOptions defaults() {
        return new TapOptions(KEEP_MTU, KEEP_MAC, false, false, 0);
    }

    public TapOptions withMtu(int newMtu) {
        return new TapOptions(newMtu, mac, vnetHeader, multiQueue, offloads);
    }

    public TapOptions withMac(long newMac) {
        return new TapOptions(mtu, newMac, vnetHeader, multiQueue, offloads);
    }

    public TapOptions withVnetHeader(boolean on) {
        return new TapOptions(mtu, mac, on, multiQueue, on ? offloads : 0);
    }

    public TapOptions withMultiQueue(boolean on) {
        return new TapOptions(mtu, mac, vnetHeader, on, offloads);
    }

    /**
     * The vnet header with checksum, TCP and UDP segmentation offload ({@link #TSO} and {@link #USO}; a kernel without
     * USO gets TSO only), or none of them.
     */
    public TapOptions withTso(boolean on) {
        return new TapOptions(mtu, mac, on, multiQueue, on ? TSO | USO : 0);
    }

    /** The offloads as the start-up line shows them, e.g. "csum, tso, uso"; empty for none. */
    public String offloadNames() {
        StringBuilder b = new StringBuilder();
        if ((offloads & TUN_F_CSUM) != 0) {
            b.append("csum");
        }
        if ((offloads & (TUN_F_TSO4 | TUN_F_TSO6)) != 0) {
            b.append(", tso");
        }
        if ((offloads & USO) != 0) {
            b.append(", uso");
        }
        return b.toString();
    }

    public TapOptions withOffloads(int flags) {
        return new TapOptions(mtu, mac, vnetHeader, multiQueue, flags);
    }
}
