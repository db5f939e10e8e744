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
    void the_seed_lab_with_learning_answers_every_ping_once_and_shows_the_learned_macs() {
        Run r = vxswitch("lab", "seed", "--policy", "learning");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("4 packets transmitted, 4 received, 0% packet loss")
            .doesNotContain("DUP!")
            .containsPattern("nested +119 +52:54:00:00:00:03 +\\d+ +learned");
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
        Files.writeString(f, vxswitch("lab", "example").out().replace("limitPolicy", "limitPolicy").replace(
            "vlan: 119\n        security", "vlan: 5000\n        security"));
        Run r = vxswitch("lab", "run", f.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("vxswitch: " + f).containsPattern(":\\d+:\\d+: ");
    }

    @Test
    void the_example_runs_as_a_topology_file(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("seed.yaml");
        Files.writeString(f, vxswitch("lab", "example").out());
        Run r = vxswitch("lab", "run", f.toString(), "--no-fdb");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("100% packet loss").doesNotContain("MAC table");
    }
}
