package io.vxswitch.forwarding.policy;

import io.vxswitch.packet.Dot1q;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The VLAN setting of a port group, as on a VDS: none (VLAN 0, untagged), an access VLAN (VST: the switch
 * tags and untags), or a trunk of VLAN ranges (VGT, guest tagging; on uplinks, with a native VLAN that
 * travels untagged).
 *
 * <p>Inside the switch every frame belongs to one VLAN in 0..4094, where 0 is the untagged segment of
 * a "none" port group. This record answers the two questions the data path asks: which VLAN does a frame
 * arriving with this tag (or none) belong to, and how does a frame of VLAN v leave this port.
 */
public record VlanPolicy(Kind kind, int accessVlan, int nativeVlan, long[] trunkBits) {
    public enum Kind { NONE, ACCESS, TRUNK }

    /** Returned by {@link #ingressVlan} when the port group does not carry the frame. */
    public static final int NOT_MEMBER = -1;
    /** Returned by {@link #egressTag} for a frame that leaves the port without a tag. */
    public static final int UNTAGGED = -1;

    private static final long[] NO_BITS = new long[64];

    public VlanPolicy {
        trunkBits = trunkBits.clone();
    }

    public static VlanPolicy none() {
        return new VlanPolicy(Kind.NONE, 0, 0, NO_BITS);
    }

    public static VlanPolicy access(int vlan) {
        if (vlan < 1 || vlan > Dot1q.MAX_VID) {
            throw new IllegalArgumentException("access VLAN must be 1-4094, got " + vlan);
        }
        return new VlanPolicy(Kind.ACCESS, vlan, 0, NO_BITS);
    }

    /**
     * A trunk carrying the VLANs in {@code ranges} tagged. Untagged frames belong to {@code nativeVlan}
     * (0 = the untagged segment) and frames of the native VLAN leave untagged.
     */
    public static VlanPolicy trunk(List<VlanRange> ranges, int nativeVlan) {
        if (nativeVlan < 0 || nativeVlan > Dot1q.MAX_VID) {
            throw new IllegalArgumentException("native VLAN must be 0-4094, got " + nativeVlan);
        }
        long[] bits = new long[64];
        for (VlanRange r : ranges) {
            for (int v = r.first(); v <= r.last(); v++) {
                bits[v >>> 6] |= 1L << v;
            }
        }
        return new VlanPolicy(Kind.TRUNK, 0, nativeVlan, bits);
    }

    /** A trunk of every VLAN 1-4094 with untagged frames in VLAN 0, the usual uplink port group. */
    public static VlanPolicy trunkAll() {
        return trunk(List.of(new VlanRange(1, Dot1q.MAX_VID)), 0);
    }

    /** True if a frame of internal VLAN {@code vlan} may enter or leave this port. */
    public boolean carries(int vlan) {
        return switch (kind) {
            case NONE -> vlan == 0;
            case ACCESS -> vlan == accessVlan;
            case TRUNK -> vlan == nativeVlan || (vlan > 0 && (trunkBits[vlan >>> 6] & (1L << vlan)) != 0);
        };
    }

    /**
     * The internal VLAN of a frame arriving with 802.1Q VID {@code vid} ({@code -1} if untagged, 0 if
     * priority-tagged), or {@link #NOT_MEMBER}. Access and none ports take untagged and priority-tagged
     * frames only, like a VDS port group in VST mode drops guest-tagged frames.
     */
    public int ingressVlan(int vid) {
        return switch (kind) {
            case NONE -> vid <= 0 ? 0 : NOT_MEMBER;
            case ACCESS -> vid <= 0 ? accessVlan : NOT_MEMBER;
            case TRUNK -> {
                if (vid <= 0) {
                    yield nativeVlan;
                }
                yield (trunkBits[vid >>> 6] & (1L << vid)) != 0 ? vid : NOT_MEMBER;
            }
        };
    }

    /** The VID to tag a frame of {@code vlan} with on egress, or {@link #UNTAGGED}. Assumes {@link #carries}. */
    public int egressTag(int vlan) {
        return kind == Kind.TRUNK && vlan != nativeVlan ? vlan : UNTAGGED;
    }

    public List<VlanRange> trunkRanges() {
        List<VlanRange> out = new ArrayList<>();
        int start = -1;
        for (int v = 1; v <= Dot1q.MAX_VID + 1; v++) {
            boolean on = v <= Dot1q.MAX_VID && (trunkBits[v >>> 6] & (1L << v)) != 0;
            if (on && start < 0) {
                start = v;
            } else if (!on && start >= 0) {
                out.add(new VlanRange(start, v - 1));
                start = -1;
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VlanPolicy p && p.kind == kind && p.accessVlan == accessVlan
            && p.nativeVlan == nativeVlan && Arrays.equals(p.trunkBits, trunkBits);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + accessVlan * 7 + nativeVlan + Arrays.hashCode(trunkBits);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "none";
            case ACCESS -> "vlan " + accessVlan;
            case TRUNK -> "trunk " + VlanRange.format(trunkRanges()) + (nativeVlan != 0 ? " native " + nativeVlan : "");
        };
    }
}
