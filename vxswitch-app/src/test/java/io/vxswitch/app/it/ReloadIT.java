package io.vxswitch.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vxswitch config reload} on a switch in use: under a UDP stream between two VMs, reloads that add and remove
 * another port lose none of the stream's frames (counted by the kernel on both VMs' NICs, outside vxswitch); and a
 * reload of a file that cannot be applied (broken YAML, a port the host cannot open) changes nothing and says where.
 * ReconfigureIT covers what a reload changes.
 */
@Timeout(180)
class ReloadIT extends LabIT {
    private static final String GROUPS = """
        portGroups:
          - {name: lan, vlan: 0, security: {forgedTransmits: accept}, macLearning: {enabled: true}}
        """;
    /** vm1, vm2, and a spare port vm4 in the host's namespace. */
    private static final String WITH_VM4 = "switch: {name: it-reload-load}\n" + GROUPS + """
        ports:
          - {name: vm1, type: tap, portGroup: lan}
          - {name: vm2, type: tap, portGroup: lan}
          - {name: vm4, type: tap, portGroup: lan}
        """;
    /** The same with vm4 gone and vm3 added. */
    private static final String WITH_VM3 = "switch: {name: it-reload-load}\n" + GROUPS + """
        ports:
          - {name: vm1, type: tap, portGroup: lan}
          - {name: vm2, type: tap, portGroup: lan}
          - {name: vm3, type: tap, portGroup: lan}
        """;

    /**
     * <pre>
     *   [vm1 10.0.0.1, iperf3 -u]--tap vm1--+
     *   [vm2 10.0.0.2, iperf3 -s]--tap vm2--+-- vxswitch (namespace host) --+-- tap vm4 / tap vm3, by turns
     * </pre>
     */
    @Test
    void reloads_that_add_and_remove_a_port_lose_no_frame_between_the_ports_they_do_not_touch() throws IOException {
        Tools.assume("the UDP stream", "iperf3");
        Netns host = lab.netns("host");
        Daemon daemon = Daemon.start(lab, host, WITH_VM4);
        String api = Files.readString(daemon.configFile()).substring(WITH_VM4.length()); // the test's api: line
        Netns vm1 = lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", "02:00:00:00:00:01");
        Netns vm2 = lab.vmOnTap("vm2", host, "vm2", "10.0.0.2/24", "02:00:00:00:00:02");
        assertThat(vm1.ping("10.0.0.2").allAnsweredOnce()).isTrue();
        Background server = lab.spawn("iperf3 server", vm2, "iperf3", "-s", "-1", "-B", "10.0.0.2",
            "--forceflush");
        server.awaitOutput(out -> out.contains("Server listening"), "'Server listening'", Duration.ofSeconds(10));

        LinkCounters vm1Before = LinkCounters.of(vm1, "vm1");
        LinkCounters vm2Before = LinkCounters.of(vm2, "vm2");
        Background client = lab.spawn("iperf3 UDP", vm1, "iperf3", "-c", "10.0.0.2", "-u", "-b", "40M", "-l", "1000",
            "-t", "8");
        int reloads = 0;
        Background.sleep(1000);
        while (client.isAlive()) {
            boolean odd = reloads % 2 == 0;
            Files.writeString(daemon.configFile(), (odd ? WITH_VM3 : WITH_VM4) + api);
            assertThat(daemon.cli("config", "reload")).as("reload " + (reloads + 1))
                .contains(odd ? "added port vm3" : "added port vm4")
                .contains(odd ? "removed port vm4" : "removed port vm3");
            reloads++;
        }
        assertThat(client.awaitExit(Duration.ofSeconds(20))).as("iperf3\n" + client.output()).isZero();
        Background.sleep(500); // the last frames through the switch
        LinkCounters vm1Sent = LinkCounters.of(vm1, "vm1").since(vm1Before);
        LinkCounters vm2Sent = LinkCounters.of(vm2, "vm2").since(vm2Before);
        System.out.printf("%d reloads under a UDP stream: vm1 sent %d frames, vm2 received %d; vm2 sent %d, vm1"
            + " received %d%n%s", reloads, vm1Sent.txPackets(), vm2Sent.rxPackets(), vm2Sent.txPackets(),
            vm1Sent.rxPackets(), daemon.cli("stats"));

        assertThat(reloads).as("reloads while the stream ran").isGreaterThanOrEqualTo(2);
        assertThat(vm1Sent.txPackets()).as("frames of the stream").isGreaterThan(20_000);
        assertThat(vm1Sent.txDropped()).as("frames vm1's tap could not hold while the switch did not read").isZero();
        assertThat(vm2Sent.rxPackets()).as("every frame vm1 sent reached vm2").isEqualTo(vm1Sent.txPackets());
        assertThat(vm2Sent.txDropped()).isZero();
        assertThat(vm1Sent.rxPackets()).as("every frame vm2 sent reached vm1").isEqualTo(vm2Sent.txPackets());
        assertThat(daemon.portStats("vm1").path("drops").size()).as("drops on port vm1").isZero();
        assertThat(daemon.portStats("vm2").path("drops").size()).as("drops on port vm2").isZero();
        daemon.stop();
    }

    @Test
    void a_reload_of_a_file_that_cannot_be_applied_changes_nothing_and_says_where() throws IOException {
        Netns host = lab.netns("host");
        String good = "switch: {name: it-reload-bad}\n" + GROUPS + """
            ports:
              - {name: vm1, type: tap, portGroup: lan}
              - {name: vm2, type: tap, portGroup: lan}
            """;
        Daemon daemon = Daemon.start(lab, host, good);
        String file = Files.readString(daemon.configFile());
        Netns vm1 = lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", "02:00:00:00:00:01");
        lab.vmOnTap("vm2", host, "vm2", "10.0.0.2/24", "02:00:00:00:00:02");
        assertThat(vm1.ping("10.0.0.2").allAnsweredOnce()).isTrue();
        String ports = daemon.cli("ports");
        String groups = daemon.get("/api/v1/port-groups");

        // YAML that does not parse: a flow mapping left open on line 7
        Files.writeString(daemon.configFile(), file.replace("{name: vm2, type: tap, portGroup: lan}",
            "{name: vm2, type: tap, portGroup: lan"));
        Cmd.Result broken = daemon.tryCli("config", "reload");
        assertThat(broken.exitCode()).isNotZero();
        assertThat(broken.err()).as("the error names the file and the line")
            .contains(daemon.configFile() + ":").containsPattern(":\\d+:\\d+: ").contains("nothing was changed");

        // a file that parses, tightens the port group, drops vm2, and names an interface this host does not have
        Files.writeString(daemon.configFile(), file
            .replace("macLearning: {enabled: true}", "macLearning: {enabled: true, limit: 8}")
            .replace("  - {name: vm2, type: tap, portGroup: lan}\n",
                "  - {name: up9, type: interface, interface: nosuch9, portGroup: lan}\n"));
        Cmd.Result unopenable = daemon.tryCli("config", "reload");
        assertThat(unopenable.exitCode()).isNotZero();
        assertThat(unopenable.err()).as("the error names the port and the interface")
            .contains("port up9").contains("nosuch9").contains("nothing was changed");

        assertThat(daemon.cli("ports")).as("the ports, as before the refused reloads").isEqualTo(ports);
        assertThat(daemon.get("/api/v1/port-groups")).as("the port groups, as before").isEqualTo(groups);
        assertThat(vm1.ping("10.0.0.2").allAnsweredOnce()).as("vm1 -> vm2 after the refused reloads").isTrue();
        Files.writeString(daemon.configFile(), file);
        assertThat(daemon.cli("config", "reload")).as("the running config is the file's").isEqualTo("no changes\n");
        assertThat(daemon.stop()).doesNotContain("Exception");
    }
}
