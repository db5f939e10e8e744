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
 */
public record TapOptions(int mtu, long mac, boolean vnetHeader, boolean multiQueue) {
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
    }

    /** Plain Ethernet frames, kernel default MTU and MAC, one queue. */
    public static TapOptions defaults() {
        return new TapOptions(KEEP_MTU, KEEP_MAC, false, false);
    }

    public TapOptions withMtu(int newMtu) {
        return new TapOptions(newMtu, mac, vnetHeader, multiQueue);
    }

    public TapOptions withMac(long newMac) {
        return new TapOptions(mtu, newMac, vnetHeader, multiQueue);
    }

    public TapOptions withVnetHeader(boolean on) {
        return new TapOptions(mtu, mac, on, multiQueue);
    }

    public TapOptions withMultiQueue(boolean on) {
        return new TapOptions(mtu, mac, vnetHeader, on);
    }
}
