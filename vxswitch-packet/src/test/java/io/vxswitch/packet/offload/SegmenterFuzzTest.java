package io.vxswitch.packet.offload;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vxswitch.fuzz.Corpus;
import org.junit.jupiter.api.Test;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.FrameMeta;
import io.vxswitch.packet.FrameParser;
import io.vxswitch.packet.InternetChecksum;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Malformation;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tap hands the switch a frame and a {@code virtio_net_hdr} that the guest wrote: both are the guest's to choose.
 * Whatever they say, {@link Segmenter} cuts the frame into segments that together carry its payload once, or refuses
 * it with a reason (a counted drop in the dataplane); it never throws and never writes past a segment. A TCP/IPv4
 * super-frame comes out as segments whose IPv4 and TCP checksums are right.
 *
 * <p>Input: the 10-byte header, one byte whose low bit says whether the egress port changes the 802.1Q tag (pops
 * the one there is, or pushes one), then the frame as the tap delivered it. Only a frame the switch accepts ({@link
 * FrameParser}: no runt, no cut tag) reaches an egress port, so only those are cut; the copy is the egress copy, with
 * the header's offsets shifted by the tag change as the dataplane passes it (tag kept or rewritten: 0; popped: -4;
 * pushed: +4).
 */
class SegmenterFuzzTest {
    private static final int TCP_CHECKSUM = 16;
    private final Segmenter segmenter = new Segmenter();
    private final Offload offload = new Offload();
    private final FrameMeta meta = new FrameMeta();
    private final MemorySegment out = MemorySegment.ofArray(new byte[VirtioNetHeader.MAX_SUPER_FRAME]);
    private final byte[] copy = new byte[VirtioNetHeader.MAX_SUPER_FRAME];

    @Test
    void committed_corpus_replays_clean() {
        Corpus.replay(getClass(), this::any_vnet_header_and_frame_is_cut_or_refused);
    }

    @FuzzTest
    void any_vnet_header_and_frame_is_cut_or_refused(byte[] input) {
        int start = VirtioNetHeader.LENGTH + 1;
        if (input.length < start) {
            return;
        }
        MemorySegment all = MemorySegment.ofArray(input);
        offload.read(all, 0);
        MemorySegment received = all.asSlice(start);
        if (FrameParser.parse(received, 0, (int) received.byteSize(), meta) != Malformation.NONE) {
            return; // dropped as malformed at ingress: never segmented
        }
        MemorySegment egress = MemorySegment.ofArray(copy);
        // what ForwardingDecision.writeEgress can do: pop or keep a tag that came in, push or not on an untagged frame
        int receivedLength = (int) received.byteSize();
        boolean change = (input[VirtioNetHeader.LENGTH] & 1) == 0;
        int length = !change ? copyAsIs(received, egress)
            : meta.tagged() ? FrameBuilder.popVlanTag(received, 0, receivedLength, egress, 0)
            : FrameBuilder.pushVlanTag(received, 0, receivedLength, egress, 0, 119);
        int shift = length - receivedLength;
        MemorySegment frame = egress.asSlice(0, length); // exactly the frame: a byte more would throw

        int n = segmenter.prepare(frame, 0, length, offload, shift);
        if (n == 0) {
            assertThat(segmenter.failure()).as("a refusal says why").isNotNull();
            return;
        }
        assertThat(n).isBetween(1, Segmenter.MAX_SEGMENTS);
        long written = 0;
        for (int k = 0; k < n; k++) {
            int segmentLength = segmenter.length(k);
            assertThat(segmentLength).isBetween(1, (int) out.byteSize());
            MemorySegment segment = out.asSlice(0, segmentLength); // exactly the segment: a byte more would throw
            assertThat(segmenter.write(k, segment, 0)).isEqualTo(segmentLength);
            written += segmentLength;
            if (offload.isSegmented() && offload.gsoType() == VirtioNetHeader.GSO_TCPV4) {
                assertTcpIpv4ChecksumsRight(segment, segmentLength);
            }
        }
        // n segments carry the payload once and the headers n times: (n - 1) copies of the headers more than the frame
        long extra = written - length;
        assertThat(extra).as("bytes written beyond the frame").isGreaterThanOrEqualTo(0);
        if (n > 1) {
            assertThat(extra % (n - 1)).as("each segment repeats the same headers").isZero();
            assertThat(extra / (n - 1)).isBetween(14L, (long) length);
        } else {
            assertThat(extra).isZero();
        }
    }

    private static int copyAsIs(MemorySegment from, MemorySegment to) {
        MemorySegment.copy(from, 0, to, 0, from.byteSize());
        return (int) from.byteSize();
    }

    /** A segment of a TCPv4 super-frame leaves finished: IPv4 header and TCP checksums verify. */
    private void assertTcpIpv4ChecksumsRight(MemorySegment segment, int length) {
        if (FrameParser.parse(segment, 0, length, meta) != Malformation.NONE || meta.etherType() != EtherType.IPV4) {
            return; // behind an 802.1ad tag or two: the parser stops at the outer tag
        }
        long ip = meta.payloadPosition();
        assertThat(Ipv4.headerChecksumValid(segment, ip)).as("IPv4 header checksum").isTrue();
        int ipLength = Ipv4.totalLength(segment, ip);
        assertThat(ipLength).isEqualTo(length - meta.payloadOffset());
        int headerLength = Ipv4.headerLength(segment, ip);
        int tcpLength = ipLength - headerLength;
        long pseudo = Ipv4.pseudoHeaderSum(Ipv4.src(segment, ip), Ipv4.dst(segment, ip), Ipv4.PROTOCOL_TCP, tcpLength);
        assertThat(tcpLength).isGreaterThanOrEqualTo(TCP_CHECKSUM + 2);
        assertThat(InternetChecksum.verify(segment, ip + headerLength, tcpLength, pseudo)).as("TCP checksum").isTrue();
    }
}
