package io.vxswitch.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Whatever arrives on a port, parsing, classifying and describing it must not throw. */
class PacketPropertiesTest {
    static final List<Frames.Sample> SAMPLES = Frames.all();

    final FrameMeta meta = new FrameMeta();

    /** The three stages a trace runs on a received frame; any exception fails the property. */
    void parseClassifyDescribe(byte[] bytes) {
        MemorySegment s = MemorySegment.ofArray(bytes);
        if (FrameParser.parse(s, 0, bytes.length, meta) == Malformation.NONE) {
            PacketClassifier.classify(meta);
        }
        assertThat(FrameDescriber.describe(s, 0, bytes.length)).isNotBlank();
    }

    @Property(tries = 3000)
    void random_bytes_never_throw(@ForAll @Size(max = 200) byte[] bytes) {
        parseClassifyDescribe(bytes);
    }

    @Property(tries = 3000)
    void mutated_and_truncated_valid_frames_never_throw(@ForAll("mutatedFrames") byte[] bytes) {
        parseClassifyDescribe(bytes);
    }

    @Provide
    Arbitrary<byte[]> mutatedFrames() {
        Arbitrary<Frames.Sample> sample = Arbitraries.of(SAMPLES);
        Arbitrary<List<int[]>> edits = Combinators.combine(Arbitraries.integers().between(0, 199),
            Arbitraries.integers().between(0, 255)).as((at, value) -> new int[] {at, value}).list().ofMaxSize(6);
        Arbitrary<Double> keep = Arbitraries.doubles().between(0, 1);
        return Combinators.combine(sample, edits, keep).as((frame, changes, fraction) -> {
            byte[] bytes = frame.bytes().clone();
            for (int[] change : changes) {
                if (bytes.length > 0) {
                    bytes[change[0] % bytes.length] = (byte) change[1];
                }
            }
            int length = fraction > 0.5 ? bytes.length : (int) (bytes.length * fraction * 2);
            return java.util.Arrays.copyOf(bytes, length);
        });
    }

    @Property
    void a_truncated_valid_frame_reports_the_layer_it_was_cut_in(@ForAll("samples") Frames.Sample sample,
                                                                  @ForAll @IntRange(max = 200) int cut) {
        int length = Math.min(cut, sample.bytes().length);
        MemorySegment s = sample.segment();
        Malformation l2 = FrameParser.parse(s, 0, length, meta);
        Malformation found = l2 != Malformation.NONE ? l2 : PacketClassifier.classify(meta);

        Malformation expected = sample.truncatedTo(length);
        assertThat(found).as("%s cut to %d bytes", sample.name(), length).isEqualTo(expected);
        String line = FrameDescriber.describe(s, 0, length);
        if (expected != Malformation.NONE) {
            assertThat(line).contains("(" + expected.counterName() + ")");
        } else {
            assertThat(line).doesNotContain("malformed");
        }
    }

    @Provide
    Arbitrary<Frames.Sample> samples() {
        return Arbitraries.of(SAMPLES);
    }

    @Property
    void push_then_pop_restores_any_frame(@ForAll("samples") Frames.Sample sample,
                                          @ForAll @IntRange(max = 0xFFFF) int tci,
                                          @ForAll @IntRange(min = -8, max = 8) int shift) {
        byte[] original = sample.bytes();
        MemorySegment s = MemorySegment.ofArray(new byte[original.length + 32]);
        MemorySegment.copy(MemorySegment.ofArray(original), 0, s, 12, original.length);

        int tagged = FrameBuilder.pushVlanTag(s, 12, original.length, s, 12 + shift, tci);
        assertThat(Dot1q.tci(s, 12 + shift + Ethernet.TYPE_OFFSET)).isEqualTo(tci);
        int popped = FrameBuilder.popVlanTag(s, 12 + shift, tagged, s, 12 - shift);

        assertThat(popped).isEqualTo(original.length);
        assertThat(Hex.of(s, 12 - shift, popped)).isEqualTo(Hex.of(MemorySegment.ofArray(original), 0, popped));
    }

    @Property
    void built_echo_frames_parse_clean_and_carry_valid_checksums(@ForAll int srcIp, @ForAll int dstIp,
                                                                 @ForAll @IntRange(max = 0xFFFF) int id,
                                                                 @ForAll @IntRange(max = 0xFFFF) int seq,
                                                                 @ForAll @IntRange(max = 1400) int payload,
                                                                 @ForAll boolean request) {
        MemorySegment s = MemorySegment.ofArray(new byte[1500]);
        int length = FrameBuilder.icmpEcho(s, 0, Frames.VM1, Frames.VM3, srcIp, dstIp, request, id, seq, 64, payload);

        assertThat(FrameParser.parse(s, 0, length, meta)).isEqualTo(Malformation.NONE);
        assertThat(PacketClassifier.classify(meta)).isEqualTo(Malformation.NONE);
        assertThat(Ipv4.headerChecksumValid(s, 14)).isTrue();
        assertThat(Icmp.checksumValid(s, 34, length - 34)).isTrue();
        assertThat(FrameDescriber.describe(s, 0, length)).endsWith(
            Ipv4Address.format(srcIp) + " > " + Ipv4Address.format(dstIp) + ": ICMP echo "
                + (request ? "request" : "reply") + ", id " + id + ", seq " + seq);
    }

    @Property
    void built_udp_frames_carry_valid_checksums(@ForAll int srcIp, @ForAll int dstIp,
                                                @ForAll @Size(max = 300) byte[] data) {
        MemorySegment s = MemorySegment.ofArray(new byte[400]);
        int length = FrameBuilder.udp(s, 0, Frames.VM1, Frames.VM3, srcIp, dstIp, 1000, 2000,
            MemorySegment.ofArray(data));

        assertThat(FrameParser.parse(s, 0, length, meta)).isEqualTo(Malformation.NONE);
        assertThat(PacketClassifier.classify(meta)).isEqualTo(Malformation.NONE);
        assertThat(Udp.checksumValid(s, 34, srcIp, dstIp)).isTrue();
        assertThat(Udp.checksum(s, 34)).isNotZero();
    }
}
