package io.vxswitch.lab;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --pcap}: the seed's capture of the routed WAN link, read by Wireshark's tshark, shows VXLAN VNI 119 with
 * the inner ARP and ICMP echo. tshark decodes UDP port 4789 as VXLAN by default. Skipped, saying so, where tshark
 * is not installed ({@code apt-get install tshark}; CI installs it).
 */
class SeedCaptureTsharkTest {
    static final String UNDERLAY = "nexus5548_eth1_1--router_gi0_0.pcap";

    @Test
    void tshark_decodes_the_underlay_capture_as_vxlan_vni_119_with_inner_arp_and_icmp(@TempDir Path dir)
        throws IOException, InterruptedException {
        Assumptions.assumeTrue(tsharkInstalled(), "tshark is not installed (apt-get install tshark): skipping the "
            + "check that Wireshark decodes the lab's pcap files");
        LabResult r = Lab.seed(SeedPolicy.LEARNING, false, RunOptions.PLAIN.withPcap(dir));
        assertThat(r.captureFiles()).hasSize(r.network().links().size()).contains(dir.resolve(UNDERLAY));

        List<String[]> rows = tshark(dir.resolve(UNDERLAY), "-T", "fields", "-e", "vxlan.vni", "-e", "eth.type",
            "-e", "arp.opcode", "-e", "icmp.type", "-Y", "vxlan");

        assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row[0]).isEqualTo("119"));
        // eth.type lists the outer then the inner EtherType.
        assertThat(rows).anySatisfy(row -> assertThat(row).containsExactly("119", "0x0800,0x0806", "1", ""));
        assertThat(rows).anySatisfy(row -> assertThat(row).containsExactly("119", "0x0800,0x0806", "2", ""));
        assertThat(rows).filteredOn(row -> row[3].equals("8")).as("echo requests: VM1's and the workstation's")
            .hasSize(8).allSatisfy(row -> assertThat(row[1]).isEqualTo("0x0800,0x0800"));
        assertThat(rows).filteredOn(row -> row[3].equals("0")).as("echo replies").hasSize(8);
    }

    @Test
    void timestamps_are_the_labs_virtual_time(@TempDir Path dir) throws IOException, InterruptedException {
        Assumptions.assumeTrue(tsharkInstalled(), "tshark is not installed (apt-get install tshark)");
        Lab.seed(SeedPolicy.LEARNING, false, RunOptions.PLAIN.withPcap(dir));

        List<String[]> rows = tshark(dir.resolve("vm1--esxi_vm1.pcap"), "-T", "fields", "-e", "frame.time_epoch",
            "-e", "arp.opcode", "-c", "1");

        assertThat(rows).singleElement().satisfies(row -> assertThat(row)
            .as("VM1's first ARP request, sent when the first ping starts: 0 s of virtual time")
            .containsExactly("0.000000000", "1"));
    }

    private static boolean tsharkInstalled() {
        try {
            Process p = new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs tshark on {@code file}; one array of tab-separated fields per output line. */
    private static List<String[]> tshark(Path file, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("tshark finished").isTrue();
        assertThat(p.exitValue()).as("tshark exit status for " + command).isZero();
        return out.lines().filter(l -> !l.isEmpty()).map(l -> l.split("\t", -1)).toList();
    }
}
