package io.vxswitch.forwarding.fdb;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Per port: the MAC of the vNIC on it, and the VLANs in which that MAC is a destination (the VLANs its port group
 * carries). The FDB keeps the entries; this keeps what the entries are for. Changed under the FDB's write lock;
 * {@link #carries} runs inside optimistic reads, so a port's VLAN set is replaced whole, never emptied to null.
 */
final class VnicScopes {
    /** {@link #singleVlan} of a port group that carries several VLANs (a trunk). */
    static final int SEVERAL = -1;
    static final long NO_MAC = -1;

    private static final int VLANS = 4096;
    private static final long[] NONE = new long[VLANS / 64];

    private final long[] macs;
    private final long[][] vlans;
    private final int[] single;
    private int withMac;
    private int trunks;

    VnicScopes(int maxPorts) {
        macs = new long[maxPorts];
        vlans = new long[maxPorts][];
        single = new int[maxPorts];
        Arrays.fill(macs, NO_MAC);
        Arrays.fill(vlans, NONE);
        Arrays.fill(single, SEVERAL);
    }

    /** Records that the vNIC on {@code port} has {@code mac} in the VLANs {@code carries} accepts. */
    void set(int port, long mac, IntPredicate carries) {
        long[] bits = new long[VLANS / 64];
        int count = 0;
        int last = SEVERAL;
        for (int v = 0; v < VLANS; v++) {
            if (carries.test(v)) {
                bits[v >>> 6] |= 1L << v;
                count++;
                last = v;
            }
        }
        clear(port);
        vlans[port] = bits;
        single[port] = count == 1 ? last : SEVERAL;
        macs[port] = mac;
        withMac++;
        if (single[port] == SEVERAL) {
            trunks++;
        }
    }

    /** Forgets the vNIC MAC of {@code port}, if it had one. */
    void clear(int port) {
        if (macs[port] == NO_MAC) {
            return;
        }
        if (single[port] == SEVERAL) {
            trunks--;
        }
        withMac--;
        macs[port] = NO_MAC;
        single[port] = SEVERAL;
        vlans[port] = NONE;
    }

    int ports() {
        return macs.length;
    }

    /** The vNIC MAC of {@code port}, or {@link #NO_MAC}. */
    long mac(int port) {
        return macs[port];
    }

    /** The one VLAN the vNIC on {@code port} is in, or {@link #SEVERAL}. */
    int singleVlan(int port) {
        return single[port];
    }

    /** True if the MAC of the vNIC on {@code port} is a destination in {@code vlan} (0-4095). */
    boolean carries(int port, int vlan) {
        return (vlans[port][vlan >>> 6] & 1L << vlan) != 0;
    }

    /** How many vNICs have a MAC: none, and no frame needs to ask whether a MAC is a vNIC's. */
    int withMac() {
        return withMac;
    }

    /** How many of them carry several VLANs, and so have no entry per VLAN. */
    int trunks() {
        return trunks;
    }
}
