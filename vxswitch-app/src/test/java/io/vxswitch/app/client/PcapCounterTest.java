package io.vxswitch.app.client;

import io.vxswitch.packet.pcap.PcapWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class PcapCounterTest {
    @Test
    void counts_records_however_the_stream_is_cut_into_writes() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(file)) {
            w.write(1, new byte[60]);
            w.write(2, new byte[1514], 100, 1514);
            w.write(3, new byte[42]);
        }
        byte[] bytes = file.toByteArray();
        for (int chunk : new int[] {1, 7, 16, 4096}) {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            PcapCounter counter = new PcapCounter(copy);
            for (int at = 0; at < bytes.length; at += chunk) {
                counter.write(bytes, at, Math.min(chunk, bytes.length - at));
            }
            assertThat(counter.records()).as("records in writes of %d bytes", chunk).isEqualTo(3);
            assertThat(copy.toByteArray()).isEqualTo(bytes);
        }
        PcapCounter headerOnly = new PcapCounter(new ByteArrayOutputStream());
        headerOnly.write(bytes, 0, PcapWriter.GLOBAL_HEADER_LENGTH + 10);
        assertThat(headerOnly.records()).as("a record header cut short is not a record").isZero();
    }
}
