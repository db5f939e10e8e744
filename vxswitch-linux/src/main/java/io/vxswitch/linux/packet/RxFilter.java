package io.vxswitch.linux.packet;

import io.vxswitch.linux.IoCounter;
import io.vxswitch.linux.IoCounters;
import io.vxswitch.linux.ffi.TpacketAuxdata;
import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.Ethernet;

import java.lang.foreign.MemorySegment;

/**
 * What a packet socket does with each received frame, whether the kernel reported it through
 * {@code PACKET_AUXDATA} (recvmmsg) or a ring's frame header: drop what cannot be forwarded as it is, and put
 * back a VLAN tag the kernel stripped. Both report the same {@code tp_status} bits and tag fields.
 */
final class RxFilter {
    static final long DROPPED = -1;

    private RxFilter() {
    }

    /**
     * Admits the {@code length}-byte frame at {@code frame}, which has {@link Dot1q#LENGTH} spare bytes in front.
     *
     * @return where the frame now starts ({@code frame - 4} when a tag was put back, so the length grew by 4), or
     *     {@link #DROPPED} after counting why
     */
    static long admit(IoCounters counters, MemorySegment s, long frame, int length, int maxFrameLength, int status,
                      int tci, int tpid) {
        if ((status & TpacketAuxdata.TP_STATUS_CSUMNOTREADY) != 0) {
            counters.increment(IoCounter.RX_PARTIAL_CHECKSUM_DROPS);
            return DROPPED;
        }
        if (TagRestorer.hasStrippedTag(status, tci) && length >= Ethernet.TYPE_OFFSET) {
            if (length + Dot1q.LENGTH > maxFrameLength) {
                counters.increment(IoCounter.RX_OVERSIZE_DROPS);
                return DROPPED;
            }
            counters.increment(IoCounter.RX_VLAN_TAGS_RESTORED);
            frame = TagRestorer.restore(s, frame, TagRestorer.tpid(status, tpid), tci);
            length += Dot1q.LENGTH;
        }
        counters.increment(IoCounter.RX_FRAMES);
        counters.add(IoCounter.RX_BYTES, length);
        return frame;
    }
}
