package io.vxswitch.packet.pcap;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

/** The libpcap file format, byte for byte. */
class PcapWriterTest {
    @Test
    void the_global_header_says_nanoseconds_version_2_4_snaplen_65535_ethernet() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PcapWriter(out).close();

        assertThat(out.toByteArray()).containsExactly(
            0x4d, 0x3c, 0xb2, 0xa1,   // 0xa1b23c4d little-endian: nanosecond timestamps
            0x02, 0x00, 0x04, 0x00,   // version 2.4
            0, 0, 0, 0,               // thiszone
            0, 0, 0, 0,               // sigfigs
            0xff, 0xff, 0x00, 0x00,   // snaplen 65535
            0x01, 0x00, 0x00, 0x00);  // LINKTYPE_ETHERNET
    }

    @Test
    void each_record_carries_the_virtual_time_and_both_lengths() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(out)) {
            w.write(1_500_000_250L, new byte[] {1, 2, 3});
            assertThat(w.records()).isEqualTo(1);
        }

        ByteBuffer b = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        b.position(PcapWriter.GLOBAL_HEADER_LENGTH);
        assertThat(b.getInt()).as("seconds").isEqualTo(1);
        assertThat(b.getInt()).as("nanoseconds").isEqualTo(500_000_250);
        assertThat(b.getInt()).as("captured length").isEqualTo(3);
        assertThat(b.getInt()).as("original length").isEqualTo(3);
        assertThat(new byte[] {b.get(), b.get(), b.get()}).containsExactly(1, 2, 3);
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void a_record_cut_to_a_snapshot_length_keeps_the_original_length() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(out)) {
            w.write(2_000_000_000L, new byte[] {9, 8, 7, 6, 5}, 2, 1514);
        }
        ByteBuffer b = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        b.position(PcapWriter.GLOBAL_HEADER_LENGTH + 8);
        assertThat(b.getInt()).as("captured length").isEqualTo(2);
        assertThat(b.getInt()).as("original length").isEqualTo(1514);
        assertThat(new byte[] {b.get(), b.get()}).containsExactly(9, 8);
        assertThat(b.hasRemaining()).isFalse();
    }
}
