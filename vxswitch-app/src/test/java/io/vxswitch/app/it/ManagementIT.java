package io.vxswitch.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's view of a running switch: {@code vxswitch ports | fdb show | stats | trace | fdb flush} against the
 * daemon in its namespace, through the management API, after two VMs pinged each other; and the errors an operator
 * meets (no switch there, a wrong token, an unknown port, a bad MAC).
 * <pre>
 *   [vm1 10.0.0.1]--tap vm1--+-- vxswitch (namespace host), port group lan (VLAN 119, learning)
 *   [vm2 10.0.0.2]--tap vm2--+   API on 127.0.0.1:7739 in host, token in the lab folder
 * </pre>
 */
@Timeout(180)
class ManagementIT extends LabIT {
    private static final String VM1 = "02:00:00:00:00:01";
    private static final String VM2 = "02:00:00:00:00:02";

    @Test
    void subcommands_show_ports_fdb_stats_and_traces_of_the_running_switch() throws Exception {
        Path token = lab.dir().resolve("api.token");
        String yaml = """
            switch: {name: it-mgmt}
            portGroups:
              - {name: lan, vlan: 119, security: {forgedTransmits: accept}, macLearning: {enabled: true}}
            ports:
              - {name: vm1, type: tap, portGroup: lan}
              - {name: vm2, type: tap, portGroup: lan}
            api: {tokenFile: "%s"}
            """.formatted(token);
        Netns host = lab.netns("host");
        Daemon daemon = Daemon.start(lab, host, yaml);
        assertThat(daemon.output()).contains("management API on http://127.0.0.1:7739/api/v1 (token in " + token + ")");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
        Map<String, String> env = Map.of();
        String tokenFile = "--token-file=" + token;

        Netns vm1 = lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", VM1);
        lab.vmOnTap("vm2", host, "vm2", "10.0.0.2/24", VM2);
        Ping p = vm1.ping("10.0.0.2");
        assertThat(p.allAnsweredOnce()).as(p + lab.diagnostics()).isTrue();

        String fdb = Daemon.cli(host, env, "fdb", "show", tokenFile).check().out();
        assertThat(fdb.lines().findFirst().orElseThrow()).isEqualTo("port  VLAN  MAC                Age  Type     Moves");
        assertThat(fdb).containsPattern("vm1\\s+119\\s+" + VM1 + "\\s+\\d+\\s+learned")
            .containsPattern("vm2\\s+119\\s+" + VM2 + "\\s+\\d+\\s+learned");
        assertThat(Daemon.cli(host, env, "fdb", "show", "--port", "vm2", "--json", tokenFile).check().out())
            .contains("\"mac\" : \"" + VM2 + "\"").doesNotContain(VM1);

        assertThat(Daemon.cli(host, env, "fdb", "add", "--vlan", "119", "--mac", "02:00:00:00:00:99", "--port", "vm2",
            tokenFile).check().out()).isEqualTo("static entry 02:00:00:00:00:99 VLAN 119 -> port vm2\n");
        assertThat(Daemon.cli(host, env, "fdb", "show", "--mac", "02:00:00:00:00:99", tokenFile).check().out())
            .containsPattern("vm2\\s+119\\s+02:00:00:00:00:99\\s+-\\s+static");
        assertThat(Daemon.cli(host, env, "fdb", "del", "--vlan", "119", "--mac", "02:00:00:00:00:99", tokenFile)
            .check().out()).isEqualTo("removed static entry 02:00:00:00:00:99 VLAN 119\n");
        assertThat(Daemon.cli(host, env, "fdb", "del", "--vlan", "119", "--mac", "02:00:00:00:00:99", tokenFile).err())
            .contains("no static entry for 02:00:00:00:00:99 in VLAN 119");
        assertThat(Daemon.cli(host, env, "ports", "--json", tokenFile).check().out()).contains("\"name\" : \"vm1\"");
        assertThat(Daemon.cli(host, env, "stats", "--json", tokenFile).check().out()).contains("\"rxFrames\" :");

        String ports = Daemon.cli(host, env, "ports", tokenFile).check().out();
        assertThat(ports).containsPattern("vm1\\s+vnic\\s+lan\\s+vlan 119\\s+-\\s+up");

        String stats = Daemon.cli(host, env, "stats", tokenFile).check().out();
        assertThat(stats).containsPattern("vm1\\s+[1-9]\\d*\\s+[1-9]\\d*\\s+[1-9]\\d*");

        String trace = Daemon.cli(host, env, "trace", "--port", "vm1", "--src", VM1, "--dst", VM2, tokenFile)
            .check().out();
        assertThat(trace).contains("is on port vm2").contains("Result: forward to vm2");

        String flushed = Daemon.cli(host, env, "fdb", "flush", "--port", "vm2", tokenFile).check().out();
        assertThat(flushed).isEqualTo("flushed 1 learned entry\n");
        assertThat(Daemon.cli(host, env, "trace", "--port", "vm1", "--src", VM1, "--dst", VM2, tokenFile)
            .check().out()).contains("unknown unicast");

        // What goes wrong, in words
        Cmd.Result wrongToken = Daemon.cli(host, Map.of("VXSWITCH_TOKEN", "f".repeat(64)), "ports");
        assertThat(wrongToken.exitCode()).isNotZero();
        assertThat(wrongToken.err()).contains("refused the token").contains("wrong API token");
        Cmd.Result unknownPort = Daemon.cli(host, env, "fdb", "show", "--port", "vm9", tokenFile);
        assertThat(unknownPort.exitCode()).isNotZero();
        assertThat(unknownPort.err()).contains("no port 'vm9' (ports: vm1, vm2)");
        Cmd.Result badMac = Daemon.cli(host, env, "trace", "--port", "vm1", "--src", "02:00:zz:00:00:01", "--dst",
            VM2, tokenFile);
        assertThat(badMac.exitCode()).isNotZero();
        assertThat(badMac.err()).contains("not a MAC address: '02:00:zz:00:00:01'");
        Cmd.Result noSwitch = Daemon.cli(lab.netns("empty"), env, "ports", tokenFile);
        assertThat(noSwitch.exitCode()).isNotZero();
        assertThat(noSwitch.err()).contains("no vxswitch answers at http://127.0.0.1:7739");
        assertThat(daemon.output()).doesNotContain("Exception");

        daemon.stop();
        assertThat(token).as("the token file goes with the switch").doesNotExist();
    }

    @Test
    void capture_writes_a_pcap_that_tcpdump_reads_with_both_directions_of_a_port() throws Exception {
        String yaml = """
            switch: {name: it-capture}
            portGroups:
              - {name: lan, vlan: 119, security: {forgedTransmits: accept}, macLearning: {enabled: true}}
            ports:
              - {name: vm1, type: tap, portGroup: lan}
              - {name: vm2, type: tap, portGroup: lan}
            """;
        Netns host = lab.netns("host");
        Daemon daemon = Daemon.start(lab, host, yaml);
        Netns vm1 = lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", VM1);
        lab.vmOnTap("vm2", host, "vm2", "10.0.0.2/24", VM2);
        assertThat(vm1.ping("10.0.0.2").allAnsweredOnce()).isTrue(); // ARP settled: the capture sees only ICMP

        Path pcap = lab.dir().resolve("vm2.pcap");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Pings run while the capture starts: the CLI says "capturing" before the switch has attached it, so a
        // capture started and then pinged could miss the pings and wait for ever.
        // 30 s of them: a capture JVM started on a loaded machine took longer than the 5 s there were before
        Background pings = lab.spawn("ping", vm1, "ping", "-c", "600", "-i", "0.05", "10.0.0.2");
        Background capture = lab.spawn("vxswitch capture", host, java, "-jar", Daemon.jar().toString(), "capture",
            "vm2", "-w", pcap.toString(), "-c", "4", "--token-file=" + daemon.tokenFile());
        assertThat(capture.awaitExit(Duration.ofSeconds(30))).as(capture.output()).isZero();
        pings.stop("INT", Duration.ofSeconds(5));
        assertThat(capture.output()).contains("capturing on port vm2", "4 frames captured into " + pcap);

        String decoded = Cmd.run(List.of("tcpdump", "-n", "-e", "-r", pcap.toString())).check().out();
        assertThat(decoded.lines()).as(decoded).hasSize(4);
        assertThat(decoded).contains(VM1 + " > " + VM2).contains("ICMP echo request")
            .contains(VM2 + " > " + VM1).contains("ICMP echo reply");
        Cmd.Result busy = Daemon.cli(host, Map.of(), "capture", "vm9", "-w", lab.dir().resolve("x.pcap").toString(),
            "--token-file=" + daemon.tokenFile());
        assertThat(busy.err()).contains("no port 'vm9'");
        assertThat(daemon.stop()).doesNotContain("Exception");
    }

    @Test
    void a_second_switch_that_cannot_take_the_api_port_leaves_the_running_ones_token_and_the_api_off_loopback_is_said()
        throws Exception {
        String yaml = """
            switch: {name: it-first}
            portGroups: [{name: lan, vlan: 119}]
            ports: [{name: vm1, type: tap, portGroup: lan, mac: "%s"}]
            """.formatted(VM1);
        Netns host = lab.netns("host");
        Daemon first = Daemon.start(lab, host, yaml);
        String token = Files.readString(first.tokenFile());
        Path second = lab.dir().resolve("second.yaml");
        Files.writeString(second, yaml.replace("it-first", "it-second").replace("vm1", "vm2")
            + "api: {tokenFile: \"" + first.tokenFile() + "\"}\n");
        Cmd.Result refused = Daemon.cli(host, Map.of(), "run", "--config", second.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("cannot start the management API on 127.0.0.1:7739: Address already in use")
            .contains("set api.listen").doesNotContain("Javalin");
        assertThat(Files.readString(first.tokenFile())).as("the running switch's token").isEqualTo(token);
        assertThat(first.cli("ports")).contains("vm1");
        first.stop();

        // An address off loopback is allowed with a configured token, and said at start.
        host.ip("link add hdul0 type veth peer name hdul1");
        host.ip("addr add 192.0.2.1/24 dev hdul0");
        host.ip("link set hdul0 up");
        host.ip("link set hdul1 up");
        Daemon exposed = Daemon.start(lab, host, yaml.replace("it-first", "it-exposed") + "api: {listen: "
            + "\"192.0.2.1:7739\", token: \"a-token-of-more-than-16\", tokenFile: \"" + lab.dir().resolve("t2")
            + "\"}\n");
        assertThat(exposed.output()).contains("the management API listens on 192.0.2.1, not on loopback: other hosts "
            + "can reach it, and only the token (api.token) keeps them out").doesNotContain("a-token-of-more-than-16");
        assertThat(Daemon.cli(host, Map.of("VXSWITCH_TOKEN", "a-token-of-more-than-16"), "ports", "--api",
            "http://192.0.2.1:7739").check().out()).contains("vm1");
    }
}
