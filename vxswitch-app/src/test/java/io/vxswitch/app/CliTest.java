package io.vxswitch.app;

import io.vxswitch.app.cli.VxswitchCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The vxswitch command from the outside: exit codes, stdout, stderr. */
class CliTest {
    record Run(int code, String out, String err) {
    }

    static Run vxswitch(String... args) {
        CommandLine cl = VxswitchCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void help_teaches_where_to_start() {
        Run r = vxswitch("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: vxswitch").contains("lab").contains("vxswitch lab seed --policy default");
    }

    @Test
    void help_lists_the_commands_for_a_running_switch() {
        Run r = vxswitch("--help");
        assertThat(r.out()).contains("vxswitch fdb show [--vlan N]").contains("vxswitch trace --port P");
        assertThat(vxswitch("fdb", "show", "--help").out()).contains("--vlan=N").contains("--api=URL")
            .contains("default: http://127.0.0.1:7739");
    }

    @Test
    void a_subcommand_without_a_running_switch_says_how_to_start_one(@TempDir Path dir) throws IOException {
        Path token = Files.writeString(dir.resolve("api.token"), "0123456789abcdef0123");
        Run r = vxswitch("ports", "--api", "http://127.0.0.1:1", "--token-file", token.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no vxswitch answers at http://127.0.0.1:1: start one with 'vxswitch run");
        Run noToken = vxswitch("fdb", "show", "--token-file", dir.resolve("none").toString());
        assertThat(noToken.code()).isEqualTo(1);
        assertThat(noToken.err()).contains("no API token at " + dir.resolve("none") + ": is 'vxswitch run' running?");
        Run badUrl = vxswitch("stats", "--api", "ftp://x", "--token-file", token.toString());
        assertThat(badUrl.err()).contains("--api ftp://x: not an http:// URL");
    }

    @Test
    void completion_covers_every_subcommand_and_its_options() {
        Run r = vxswitch("completion");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("complete -F _complete_vxswitch").contains("fdb").contains("flush")
            .contains("--token-file").contains("trace").contains("--ethertype");
    }

    @Test
    void trace_needs_a_frame_either_by_fields_or_in_hex() {
        Run r = vxswitch("trace", "--port", "vm1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required argument");
        Run both = vxswitch("trace", "--port", "vm1", "--hex", "ff", "--src", "a", "--dst", "b");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
    }

    @Test
    void the_seed_lab_with_learning_answers_every_ping_once_and_shows_the_learned_macs() {
        Run r = vxswitch("lab", "seed", "--policy", "learning");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("# seed lab: port group vlan119-vtep of esxi -> MAC learning on")
            .contains("4 packets transmitted, 4 received, 0% packet loss")
            .doesNotContain("DUP!")
            .contains("MAC table of esxi:", "MAC table of centos7-vm:", "MAC table of centos7-kvm:")
            .containsPattern("centos-eth0 +119 +52:54:00:00:00:03 +\\d+ +learned")
            .containsPattern("vxlan0 +119 +00:50:56:00:01:01 +\\d+ +learned +0 +192\\.0\\.2\\.10")
            .contains("VTEP 198.51.100.10 udp/4789: VNI 119 <-> VLAN 119 flood 192.0.2.10;");
    }

    @Test
    void explain_tells_the_arp_story_in_numbered_steps() {
        Run r = vxswitch("lab", "seed", "--explain", "--no-fdb");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("The ARP story: vm1 asks who has 10.0.0.3 (from the traces of this run)")
            .contains(" 1. vm1 broadcasts an ARP request for 10.0.0.3 on VLAN 119")
            .contains("centos7-vm's vxswitch floods it into the tunnel: VXLAN VNI 119 to 198.51.100.10")
            .contains("esxi learns 52:54:00:00:00:03 on port centos-eth0 (VLAN 119)")
            .doesNotContain("MAC table");
        assertThat(vxswitch("lab", "seed", "-p", "default", "--explain").out())
            .contains("esxi drops it on port centos-eth0 (forged_transmit)")
            .doesNotContain("esxi learns");
    }

    @Test
    void pcap_writes_one_capture_file_per_link(@TempDir Path dir) throws IOException {
        Path caps = dir.resolve("caps");
        Run r = vxswitch("lab", "seed", "--pcap", caps.toString(), "--no-fdb");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("wrote 12 pcap files to " + caps);
        try (var files = Files.list(caps)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                .hasSize(12).contains("nexus5548_eth1_1--router_gi0_0.pcap", "vm1--esxi_vm1.pcap");
        }
        assertThat(Files.size(caps.resolve("vm1--esxi_vm1.pcap"))).isGreaterThan(24);
    }

    @Test
    void pcap_into_a_place_that_is_not_a_directory_is_a_one_line_error(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        Run r = vxswitch("lab", "seed", "--pcap", file.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("vxswitch: cannot create capture directory " + file).hasLineCount(1);
    }

    @Test
    void a_port_the_host_cannot_open_stops_run_with_a_one_line_error(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("switch.yaml"), """
            switch: {name: s}
            portGroups: [{name: lan}]
            ports: [{name: up0, type: interface, interface: vxst-none0, portGroup: lan}]
            api: off
            """);
        Run r = vxswitch("run", "--config", f.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("vxswitch: port up0: cannot use interface 'vxst-none0'").hasLineCount(1);
    }

    @Test
    void the_nested_example_runs_and_explains_too(@TempDir Path dir) throws IOException {
        Run example = vxswitch("lab", "example", "nested");
        assertThat(example.code()).isZero();
        assertThat(example.out()).contains("nestedHypervisors:").doesNotContain("vtepHosts:");
        Path f = Files.writeString(dir.resolve("nested.yaml"), example.out());
        Run r = vxswitch("lab", "run", f.toString(), "--explain", "--no-fdb");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("100% packet loss").contains("esxi drops it on port nested (forged_transmit)");
    }

    @Test
    void an_unknown_example_is_refused_with_the_choices() {
        Run r = vxswitch("lab", "example", "article");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("vxswitch: no lab example 'article' (have: seed, nested); try 'vxswitch lab "
            + "example seed'" + System.lineSeparator());
    }

    @Test
    void the_seed_lab_in_promiscuous_mode_shows_duplicates() {
        Run r = vxswitch("lab", "seed", "-p", "promiscuous");
        assertThat(r.out()).contains("(DUP!)").containsPattern("\\+\\d+ duplicates");
    }

    @Test
    void the_seed_lab_with_vds_defaults_loses_every_ping_and_traces_the_forged_transmit() {
        Run r = vxswitch("lab", "seed", "--policy", "default", "--trace");
        assertThat(r.out()).contains("100% packet loss").contains("drop (forged_transmit)");
    }

    @Test
    void an_unknown_policy_is_refused_with_the_choices() {
        Run r = vxswitch("lab", "seed", "--policy", "promisc");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("default, promiscuous or learning");
    }

    @Test
    void a_missing_topology_file_is_a_one_line_error() {
        Run r = vxswitch("lab", "run", "/nonexistent/lab.yaml");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("vxswitch: /nonexistent/lab.yaml: no such file" + System.lineSeparator());
    }

    @Test
    void a_bad_topology_names_the_line_and_column(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, vxswitch("lab", "example").out().replace(
            "vlan: 119\n        security", "vlan: 5000\n        security"));
        Run r = vxswitch("lab", "run", f.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("vxswitch: " + f).containsPattern(":\\d+:\\d+: ");
    }

    @Test
    void the_example_runs_as_a_topology_file(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("seed.yaml");
        Files.writeString(f, vxswitch("lab", "example").out());
        assertThat(Files.readString(f)).contains("vtepHosts:").contains("routers:");
        Run r = vxswitch("lab", "run", f.toString(), "--no-fdb");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("100% packet loss").doesNotContain("MAC table");
    }
}
