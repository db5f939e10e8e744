package io.vxswitch.vxlan;

import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.Vxlan;
import java.lang.foreign.MemorySegment;

/**
 * Validates a received VXLAN packet in place and finds the inner frame, its VNI and the VLAN that VNI
 * carries. Two entry points: {@link #decapsulatePayload} for a UDP payload as a socket delivers it, and
 * {@link #decapsulateFrame} for a whole outer Ethernet/IP/UDP frame as captured on a link. Each returns
 * {@link VxlanDrop#NONE} and fills a reused {@link DecapResult}, or the reason for the drop, which is
 * also counted. A packet that passes is not counted here: it counts as decapsulated when the VTEP that sent it is
 * accepted and the inner frame goes to the switch ({@link Vtep#sourceVtep}), so that each packet is counted once,
 * decapsulated or dropped. Allocates nothing and never throws, whatever the bytes.
 *
 * <p>Checks, in order (RFC 7348 §5):
 * <ol>
 * <li>{@code TRUNCATED_HEADER}: fewer than 8 bytes.</li>
 * <li>{@code NO_I_FLAG}: the I flag "MUST be set to 1 for a valid VXLAN Network ID".</li>
 * <li>{@code RESERVED_BITS_SET}, only with {@link DecapOptions#strictReservedBits()}: the RFC says reserved
 *     bits are "ignored on receipt" (the default); the Linux kernel drops such packets (strict matches it).</li>
 * <li>{@code INNER_TOO_SHORT}: the inner frame cannot hold an Ethernet header (14 bytes).</li>
 * <li>{@code UNKNOWN_VNI}: the VNI is not in the {@link VniMap}.</li>
 * </ol>
 * Linux checks the VNI before the reserved bits; the order only changes which counter a packet with two
 * faults lands in.
 */
public final class VxlanDecapsulator {
    private final VniMap vnis;
    private final DecapOptions options;
    private final VxlanCounters counters;

    public VxlanDecapsulator(VniMap vnis, DecapOptions options, VxlanCounters counters) {
        this.vnis = vnis;
        this.options = options;
        this.counters = counters;
    }

    public DecapOptions options() {
        return options;
    }

    /** Decapsulates the UDP payload of {@code length} bytes at {@code payload} (VXLAN header first). */
    public VxlanDrop decapsulatePayload(MemorySegment s, long payload, int length, DecapResult out) {
        out.reset();
        return vxlan(s, payload, length, out);
    }

    /** Decapsulates a whole outer frame of {@code length} bytes at {@code frame} (outer Ethernet first). */
    public VxlanDrop decapsulateFrame(MemorySegment s, long frame, int length, DecapResult out) {
        out.reset();
        VxlanDrop drop = OuterHeaders.parse(s, frame, length, options, out);
        if (drop != VxlanDrop.NONE) {
            return counters.drop(drop);
        }
        return vxlan(s, out.udpPayloadOffset, out.udpPayloadLength, out);
    }

    private VxlanDrop vxlan(MemorySegment s, long vxlan, int length, DecapResult out) {
        if (length < Vxlan.LENGTH) {
            return counters.drop(VxlanDrop.TRUNCATED_HEADER);
        }
        if (!Vxlan.hasIFlag(s, vxlan)) {
            return counters.drop(VxlanDrop.NO_I_FLAG);
        }
        if (options.strictReservedBits() && !Vxlan.reservedBitsClear(s, vxlan)) {
            return counters.drop(VxlanDrop.RESERVED_BITS_SET);
        }
        int innerLength = length - Vxlan.LENGTH;
        if (innerLength < Ethernet.HEADER_LENGTH) {
            return counters.drop(VxlanDrop.INNER_TOO_SHORT);
        }
        int vni = Vxlan.vni(s, vxlan);
        int vlan = vnis.vlanOf(vni);
        if (vlan == VniMap.NONE) {
            return counters.drop(VxlanDrop.UNKNOWN_VNI);
        }
        long inner = vxlan + Vxlan.LENGTH;
        out.innerOffset = inner;
        out.innerLength = innerLength;
        out.vni = vni;
        out.vlan = vlan;
        out.innerEtherType = Ethernet.etherType(s, inner);
        return VxlanDrop.NONE;
    }
}
