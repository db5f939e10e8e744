package io.vxswitch.packet.offload;

import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.InternetChecksum;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Wire;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Segments cut by the {@link Segmenter} come back together; anything that does not follow on stays apart. */
class TcpCoalescerTest {
    static final int L4 = Ethernet.HEADER_LENGTH + Ipv4.MIN_HEADER_LENGTH;
    static final int HEADERS = L4 + SegmenterTest.TCP;

    final Offload offload = new Offload();
    final TcpCoalescer coalescer = new TcpCoalescer(MemorySegment.ofArray(new byte[70_000]), 5, 69_000);

    /** The wire segments of a TCPv4 super-frame with {@code payload} cut at {@code mss}, FIN cleared. */
    static List<MemorySegment> segments(byte[] payload, int mss) {
        MemorySegment frame = MemorySegment.ofArray(new byte[70_000]);
        int length = SegmenterTest.superFrame(frame, false, 0, payload);
        Wire.putU8(frame, L4 + 13, 0x10 | 0x08); // ACK PSH: a plain data burst
        Offload o = new Offload();
        o.set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, HEADERS, mss, L4, 16);
        Segmenter segmenter = new Segmenter();
        int n = segmenter.prepare(frame, 0, length, o, 0);
        List<MemorySegment> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            MemorySegment seg = MemorySegment.ofArray(new byte[segmenter.length(k)]);
            segmenter.write(k, seg, 0);
            out.add(seg);
        }
        return out;
    }

    @Test
    void segments_of_one_burst_become_one_super_frame_that_cuts_back_into_the_same_segments() {
        byte[] payload = SegmenterTest.payload(20_000, 7);
        List<MemorySegment> segs = segments(payload, 1398);
        assertThat(coalescer.start(segs.get(0), 0, (int) segs.get(0).byteSize())).isTrue();
        for (int k = 1; k < segs.size(); k++) {
            assertThat(coalescer.append(segs.get(k), 0, (int) segs.get(k).byteSize())).as("segment %d", k).isTrue();
        }
        int length = coalescer.finish(offload);
        assertThat(length).isEqualTo(HEADERS + payload.length);
        assertThat(offload.gsoType()).isEqualTo(VirtioNetHeader.GSO_TCPV4);
        assertThat(offload.gsoSize()).isEqualTo(1398);
        assertThat(offload.needsChecksum()).isTrue();
        assertThat(offload.csumStart()).isEqualTo(L4);
        MemorySegment s = coalescer.frameSegment();
        long f = coalescer.frameOffset();
        assertThat(Ipv4.totalLength(s, f + Ethernet.HEADER_LENGTH)).isEqualTo(length - Ethernet.HEADER_LENGTH);
        assertThat(Ipv4.headerChecksumValid(s, f + Ethernet.HEADER_LENGTH)).isTrue();
        assertThat(Wire.u8(s, f + L4 + 13) & 0x08).as("PSH of the last segment kept").isNotZero();
        assertThat(s.asSlice(f + HEADERS, payload.length).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(payload);

        // what a port without offload does with it: the same segments, byte for byte
        Segmenter again = new Segmenter();
        assertThat(again.prepare(s, f, length, offload, 0)).isEqualTo(segs.size());
        for (int k = 0; k < segs.size(); k++) {
            MemorySegment out = MemorySegment.ofArray(new byte[again.length(k)]);
            again.write(k, out, 0);
            assertThat(out.toArray(ValueLayout.JAVA_BYTE)).as("segment %d", k)
                .isEqualTo(segs.get(k).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void a_lone_segment_stays_where_it_is_and_needs_nothing() {
        List<MemorySegment> segs = segments(SegmenterTest.payload(500, 8), 1398);
        assertThat(coalescer.start(segs.get(0), 0, (int) segs.get(0).byteSize())).isTrue();
        assertThat(coalescer.finish(offload)).isEqualTo(segs.get(0).byteSize());
        assertThat(offload.isPlain()).isTrue();
        assertThat(coalescer.frameSegment()).isSameAs(segs.get(0));
    }

    @Test
    void what_does_not_follow_on_is_refused_and_leaves_the_super_frame_as_it_was() {
        List<MemorySegment> segs = segments(SegmenterTest.payload(8_000, 9), 1000);
        MemorySegment first = segs.get(0);
        assertThat(coalescer.start(first, 0, 1000 + HEADERS)).isTrue();
        assertThat(coalescer.append(segs.get(2), 0, 1000 + HEADERS)).as("a gap in the sequence").isFalse();
        MemorySegment corrupt = copy(segs.get(1));
        corrupt.set(ValueLayout.JAVA_BYTE, HEADERS + 10, (byte) (corrupt.get(ValueLayout.JAVA_BYTE, HEADERS + 10) ^ 1));
        assertThat(coalescer.append(corrupt, 0, 1000 + HEADERS)).as("a bad TCP checksum").isFalse();
        MemorySegment otherPort = copy(segs.get(1));
        Wire.putU16(otherPort, L4, 40001);
        fixTcpChecksum(otherPort);
        assertThat(coalescer.append(otherPort, 0, 1000 + HEADERS)).as("another flow").isFalse();
        MemorySegment otherAck = copy(segs.get(1));
        Wire.putU32(otherAck, L4 + 8, 78);
        fixTcpChecksum(otherAck);
        assertThat(coalescer.append(otherAck, 0, 1000 + HEADERS)).as("another acknowledgement").isFalse();
        assertThat(coalescer.append(segs.get(1), 0, 1000 + HEADERS)).isTrue();
        assertThat(coalescer.segments()).isEqualTo(2);
        assertThat(coalescer.finish(offload)).isEqualTo(HEADERS + 2000);
    }

    @Test
    void psh_or_a_short_segment_ends_the_super_frame_and_syn_fin_rst_never_start_one() {
        List<MemorySegment> segs = segments(SegmenterTest.payload(2_500, 10), 1000);
        MemorySegment pushed = copy(segs.get(0));
        Wire.putU8(pushed, L4 + 13, 0x18);
        fixTcpChecksum(pushed);
        assertThat(coalescer.start(pushed, 0, 1000 + HEADERS)).isTrue();
        assertThat(coalescer.append(segs.get(1), 0, 1000 + HEADERS)).as("after PSH").isFalse();
        coalescer.finish(offload);

        List<MemorySegment> three = segments(SegmenterTest.payload(2_500, 11), 1000);
        MemorySegment shortOne = three.get(2); // 500 bytes, the last
        assertThat(coalescer.start(three.get(0), 0, 1000 + HEADERS)).isTrue();
        assertThat(coalescer.append(three.get(1), 0, 1000 + HEADERS)).isTrue();
        assertThat(coalescer.append(shortOne, 0, 500 + HEADERS)).isTrue();
        coalescer.finish(offload);

        for (int flag : new int[] {0x01, 0x02, 0x04}) {
            MemorySegment s = copy(segs.get(0));
            Wire.putU8(s, L4 + 13, 0x10 | flag);
            fixTcpChecksum(s);
            assertThat(coalescer.start(s, 0, 1000 + HEADERS)).as("flag 0x%x", flag).isFalse();
        }
    }

    /** Whatever bytes arrive: refused or coalesced, never an exception, never beyond the buffer. */
    @Property(tries = 2000)
    void any_bytes_are_refused_or_taken_without_throwing(@ForAll @Size(max = 3) List<@Size(max = 200) byte[]> frames,
                                                         @ForAll @IntRange(max = 3) int valid) {
        List<MemorySegment> segs = segments(SegmenterTest.payload(3_000, valid), 1000);
        List<MemorySegment> all = new ArrayList<>(segs.subList(0, Math.min(valid, segs.size())));
        frames.forEach(b -> all.add(MemorySegment.ofArray(b)));
        for (MemorySegment s : all) {
            int len = (int) s.byteSize();
            if (!coalescer.isOpen() || !coalescer.append(s, 0, len)) {
                if (coalescer.isOpen()) {
                    coalescer.finish(offload);
                }
                coalescer.start(s, 0, len);
            }
        }
        if (coalescer.isOpen()) {
            assertThat(coalescer.finish(offload)).isPositive();
        }
    }

    private static MemorySegment copy(MemorySegment s) {
        return MemorySegment.ofArray(s.toArray(ValueLayout.JAVA_BYTE));
    }

    private static void fixTcpChecksum(MemorySegment s) {
        int tcpLength = (int) s.byteSize() - L4;
        Wire.putU16(s, L4 + 16, 0);
        long pseudo = Ipv4.pseudoHeaderSum(SegmenterTest.IP_A, SegmenterTest.IP_B, Ipv4.PROTOCOL_TCP, tcpLength);
        Wire.putU16(s, L4 + 16, InternetChecksum.checksum(s, L4, tcpLength, pseudo));
    }
}
