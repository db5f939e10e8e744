package io.vxswitch.packet;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vxswitch.fuzz.Corpus;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes a port can receive go through the layer-2 parser, the layer-3/4 classifier and the describer without an
 * exception: a frame comes out parsed, or named malformed. The segment is exactly the frame, so a read one byte past
 * it fails here rather than reading a neighbour's bytes in a receive buffer.
 */
class FrameParserFuzzTest {
    private final FrameMeta meta = new FrameMeta();

    @Test
    void committed_corpus_replays_clean() {
        Corpus.replay(getClass(), this::any_bytes_parse_classify_and_describe);
    }

    @FuzzTest
    void any_bytes_parse_classify_and_describe(byte[] bytes) {
        MemorySegment frame = MemorySegment.ofArray(bytes);
        Malformation parsed = FrameParser.parse(frame, 0, bytes.length, meta);
        assertThat(parsed).isNotNull();
        if (parsed == Malformation.NONE) {
            assertThat(meta.payloadOffset()).isIn(Ethernet.HEADER_LENGTH, Ethernet.HEADER_LENGTH + Dot1q.LENGTH);
            assertThat(meta.payloadLength()).isBetween(0, bytes.length);
            assertThat(PacketClassifier.classify(meta)).isNotNull();
        }
        assertThat(FrameDescriber.describe(frame, 0, bytes.length)).isNotEmpty();
    }
}
