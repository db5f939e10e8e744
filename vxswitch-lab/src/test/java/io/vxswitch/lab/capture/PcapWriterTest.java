package io.vxswitch.lab.capture;

import io.vxswitch.lab.engine.Link;
import io.vxswitch.lab.engine.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The libpcap file format, byte for byte, and one file per link. */
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
    void every_link_gets_a_file_named_after_its_ends_even_if_it_carried_nothing(@TempDir Path dir) throws IOException {
        Simulator sim = new Simulator();
        Link used = new Link(sim, "esxi:uplink1", "nexus5k:eth1/1", 50_000);
        Link idle = new Link(sim, "vm9", "esxi:vm9", 50_000);
        PcapCapture capture = PcapCapture.into(dir.resolve("caps"));
        used.addListener(capture);
        idle.addListener(capture);
        used.b().attach(f -> { });

        used.a().send(new byte[60]);
        sim.run();
        capture.close();

        assertThat(capture.files()).extracting(p -> p.getFileName().toString())
            .containsExactly("esxi_uplink1--nexus5k_eth1_1.pcap", "vm9--esxi_vm9.pcap");
        assertThat(Files.size(capture.fileOf(used))).isEqualTo(PcapWriter.GLOBAL_HEADER_LENGTH
            + PcapWriter.RECORD_HEADER_LENGTH + 60);
        assertThat(Files.size(capture.fileOf(idle))).isEqualTo(PcapWriter.GLOBAL_HEADER_LENGTH);
    }
}
