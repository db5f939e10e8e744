package io.vxswitch.bgp.message;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vxswitch.fuzz.Corpus;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer's bytes through the BGP codec as the session reads them (frame the header, then decode the message: OPEN,
 * UPDATE with MP-BGP EVPN routes and attributes, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH), for 4-octet and 2-octet AS
 * sessions. The result is a message or a {@link BgpException} (the NOTIFICATION to send, RFC 4271 §6), nothing else;
 * and a message read is written back to bytes that read as the same message (nothing is lost or invented between a
 * peer and the RIB), unless it carries another address family's routes, which reading only counts and writing
 * refuses. {@code CodecPropertiesTest} checks the same with jqwik's generators; this is coverage-guided.
 *
 * <p>Input: a flags byte (bit 0: 4-octet AS; bit 1: a right header is put in front of the rest, type byte first, so
 * the fuzzer spends its time in message bodies), then the bytes. Seeds: a captured FRR ↔ GoBGP EVPN session.
 */
class MessageCodecFuzzTest {
    @Test
    void committed_corpus_replays_clean() {
        Corpus.replay(getClass(), this::peer_bytes_are_a_message_or_a_notification);
    }

    @FuzzTest
    void peer_bytes_are_a_message_or_a_notification(byte[] input) {
        if (input.length == 0) {
            return;
        }
        MessageCodec codec = (input[0] & 1) != 0 ? MessageCodec.FOUR_OCTET_AS : MessageCodec.TWO_OCTET_AS;
        byte[] bytes = (input[0] & 2) != 0 ? withHeader(input) : Arrays.copyOfRange(input, 1, input.length);
        BgpMessage message;
        try {
            int length = MessageCodec.frame(bytes, 0, bytes.length);
            if (length == 0 || length > bytes.length) {
                return; // the session waits for the rest
            }
            message = codec.decode(bytes, 0, length);
        } catch (BgpException notification) {
            assertThat(notification.code()).as("NOTIFICATION error code (RFC 4271 §4.5)").isBetween(1, 7);
            assertThat(notification.getMessage()).isNotBlank();
            assertThat(notification.toNotification()).isNotNull();
            return;
        }
        assertThat(message).isNotNull();
        byte[] written;
        try {
            written = codec.encode(message);
        } catch (IllegalArgumentException documented) { // MessageCodec.encode: what decode only counts, or > 4096
            assertThat(documented.getMessage()).containsAnyOf("cannot be written", "exceeds BGP's 4096");
            return;
        }
        assertThat(codec.decode(written)).as("what was read, written and read again").isEqualTo(message);
    }

    /** The rest of the input behind a right header: marker, the length of it all, the rest's first byte as type. */
    private static byte[] withHeader(byte[] input) {
        int rest = input.length - 1;
        if (rest == 0) {
            return new byte[0];
        }
        int body = Math.min(rest - 1, MessageCodec.MAX_LENGTH - MessageCodec.HEADER_LENGTH);
        byte[] m = new byte[MessageCodec.HEADER_LENGTH + body];
        Arrays.fill(m, 0, 16, (byte) 0xFF);
        m[16] = (byte) (m.length >>> 8);
        m[17] = (byte) m.length;
        m[18] = input[1];
        System.arraycopy(input, 2, m, MessageCodec.HEADER_LENGTH, body);
        return m;
    }
}
