package io.vxswitch.linux.packet;

import io.vxswitch.linux.IoCounter;
import io.vxswitch.linux.IoCounters;
import io.vxswitch.linux.ffi.TpacketAuxdata;
import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.offload.VirtioNetHeader;

import java.lang.foreign.MemorySegment;

/**
 * What a packet socket does with each received frame, whether the kernel reported it through
 * {@code PACKET_AUXDATA} (recvmmsg) or a ring's frame header: drop what cannot be forwarded as it is, and put
 * back a VLAN tag the kernel stripped. Both report the same {@code tp_status} bits and tag fields.
 *
 * <p>With {@code PACKET_VNET_HDR} each frame follows its {@link VirtioNetHeader}: frames with a checksum left to fill
 * in and TSO super-frames are then taken (the header says what is left to do), and a restored tag moves the header
 * along so that it stays right in front of the frame, its offsets counted from the frame's new start.
 */
final class RxFilter {
    static final long DROPPED = -1;

    private RxFilter() {
    }

    /**
     * Admits the {@code length}-byte frame at {@code frame}, which has {@code vnet} header bytes (0 or
     * {@link VirtioNetHeader#LENGTH}) in front of it and {@link Dot1q#LENGTH} spare bytes in front of those.
     *
     * @return where the frame now starts ({@code frame - 4} when a tag was put back, so the length grew by 4), or
     *     {@link #DROPPED} after counting why
     */
    static long admit(IoCounters counters, MemorySegment s, long frame, int length, int maxFrameLength, int status,
                      int tci, int tpid, int vnet) {
        if (vnet == 0 && (status & TpacketAuxdata.TP_STATUS_CSUMNOTREADY) != 0) {
            counters.increment(IoCounter.RX_PARTIAL_CHECKSUM_DROPS);
            return DROPPED;
        }
        if (vnet != 0 && VirtioNetHeader.gsoType(s, frame - vnet) != VirtioNetHeader.GSO_NONE
            && (VirtioNetHeader.flags(s, frame - vnet) & VirtioNetHeader.F_NEEDS_CSUM) == 0) {
            // A NIC's LRO: the checksum field holds a final value (GRO leaves the pseudo-header sum and NEEDS_CSUM),
            // which fits no segment cut from it and no stack that takes it whole
            counters.increment(IoCounter.RX_LRO_DROPS);
            return DROPPED;
        }
        if (TagRestorer.hasStrippedTag(status, tci) && length >= Ethernet.TYPE_OFFSET) {
            if (length + Dot1q.LENGTH > maxFrameLength) {
                counters.increment(IoCounter.RX_OVERSIZE_DROPS);
                return DROPPED;
            }
            counters.increment(IoCounter.RX_VLAN_TAGS_RESTORED);
            if (vnet != 0) {
                moveHeader(s, frame - vnet);
            }
            frame = TagRestorer.restore(s, frame, TagRestorer.tpid(status, tpid), tci);
            length += Dot1q.LENGTH;
        }
        counters.increment(IoCounter.RX_FRAMES);
        counters.add(IoCounter.RX_BYTES, length);
        return frame;
    }

    /** Moves the header at {@code at} 4 bytes down, its offsets 4 bytes up: the tag goes in after the MACs. */
    private static void moveHeader(MemorySegment s, long at) {
        int flags = VirtioNetHeader.flags(s, at);
        int hdrLen = VirtioNetHeader.hdrLen(s, at);
        boolean partial = (flags & VirtioNetHeader.F_NEEDS_CSUM) != 0;
        VirtioNetHeader.write(s, at - Dot1q.LENGTH, flags, VirtioNetHeader.gsoType(s, at),
            hdrLen == 0 ? 0 : hdrLen + Dot1q.LENGTH, VirtioNetHeader.gsoSize(s, at),
            VirtioNetHeader.csumStart(s, at) + (partial ? Dot1q.LENGTH : 0), VirtioNetHeader.csumOffset(s, at));
    }
}
