package io.vxswitch.lab.capture;

import io.vxswitch.lab.engine.Link;
import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.packet.pcap.PcapWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** One pcap file per link of a lab run. */
class PcapCaptureTest {
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
