package io.vxswitch.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping and starting the daemon loses nothing that matters: SIGTERM in the middle of traffic sends what the
 * switch had taken in, closes its devices, removes the API token and exits 0; after {@code kill -9} (no clean-up at
 * all) a new start comes back on the same host as if nothing had happened.
 */
@Timeout(180)
class RestartIT extends LabIT {
    private static final String VM1 = "02:00:00:00:00:01";
    private static final String VM2 = "02:00:00:00:00:02";

    /**
     * <pre>
     *   [vm1 10.0.0.1, trafgen]--tap vm1--vxswitch (namespace host)--interface vm2==veth==eth0--[vm2 10.0.0.2]
     * </pre>
     * vm2 sits behind a veth, which outlives the daemon, so what reached it can be counted after the exit: every
     * frame the switch decided to send to vm2 (its exit report's tx frames) reached vm2's side of the veth, or is in
     * a drop counter.
     */
    @Test
    void sigterm_under_traffic_sends_what_was_taken_in_removes_devices_and_token_and_exits_0() throws IOException {
        Netns host = lab.netns("host");
        Netns vm2 = lab.vmOnVeth("vm2", host, "vm2", "10.0.0.2/24", VM2, 1500);
        Daemon daemon = Daemon.start(lab, host, """
            switch: {name: it-sigterm}
            portGroups:
              - {name: lan, vlan: 0, security: {forgedTransmits: accept}, macLearning: {enabled: true}}
            ports:
              - {name: vm1, type: tap, portGroup: lan}
              - {name: vm2, type: interface, interface: vm2, portGroup: lan}
            """);
        Netns vm1 = lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", VM1);
        assertThat(vm1.ping("10.0.0.2").allAnsweredOnce()).as("vm1 -> vm2 before the stop").isTrue();
        assertThat(Files.exists(daemon.tokenFile())).as("token file while running").isTrue();

        Trafgen traffic = Trafgen.unicast(lab, vm1, "vm1", VM1, VM2, 0);
        Background.sleep(1500); // well into the stream: the switch's queues hold frames when the signal comes
        Duration took = daemon.terminate();
        traffic.stop();
        String out = daemon.output();
        System.out.println("vxswitch exited 0 " + took.toMillis() + " ms after SIGTERM, under traffic");

        Report vm2Port = Report.of(out, "vm2");
        long deviceDrops = vm2Port.drop("tx_queue_full") + vm2Port.drop("tx_refused");
        LinkCounters veth = LinkCounters.of(host, "vm2"); // the switch's side of vm2's veth
        assertThat(vm2Port.txFrames).as("frames sent to vm2 under traffic\n" + out).isGreaterThan(10_000);
        assertThat(veth.txPackets() + veth.txDropped())
            .as("frames vxswitch handed to vm2's veth: every frame it decided to send there (%d), less those it"
                + " counted as dropped (%d)\n%s", vm2Port.txFrames, deviceDrops, out)
            .isEqualTo(vm2Port.txFrames - deviceDrops);
        assertThat(LinkCounters.of(vm2, "eth0").rxPackets()).as("what vm2 received")
            .isEqualTo(veth.txPackets());
        assertThat(out).contains("stopped").doesNotContain("Exception");
        assertThat(Files.exists(daemon.tokenFile())).as("token file after the stop").isFalse();
        assertThat(vm1.linkGone("vm1")).as("tap vm1 removed").isTrue();
        assertThat(host.ip("-d link show vm2")).as("vm2's veth no longer promiscuous").contains("promiscuity 0");
    }

    /**
     * <pre>
     *   [vm1 10.0.0.1]--tap vm1--+
     *   [vm2 10.0.0.2]--tap vm2--+-- vxswitch (namespace host) --up0==veth==eth0--[peer 10.0.0.3]
     *                            +-- tunnel vx: VNI 119 from 192.0.2.1 (ul0, a veth to an empty namespace) to 192.0.2.2
     * </pre>
     * killed with SIGKILL while an API client holds a connection (so the API's port is left in TIME_WAIT), then
     * started again with the same config.
     */
    @Test
    void after_kill_9_a_new_start_recreates_the_taps_replaces_the_stale_token_and_binds_its_ports_again()
        throws IOException {
        Netns host = lab.netns("host");
        lab.veth(host, "ul0", lab.netns("underlay"), "ul0", 1500);
        host.ip("addr add 192.0.2.1/24 dev ul0");
        lab.vmOnVeth("peer", host, "up0", "10.0.0.3/24", "02:00:00:00:00:03", 1500);
        String yaml = """
            switch: {name: it-kill9}
            portGroups:
              - {name: lan, vlan: 0, security: {forgedTransmits: accept}, macLearning: {enabled: true}}
            ports:
              - {name: vm1, type: tap, portGroup: lan}
              - {name: vm2, type: tap, portGroup: lan}
              - {name: up0, type: interface, interface: up0, portGroup: lan}
            tunnels:
              - {name: vx, vni: 119, vlan: 0, local: 192.0.2.1, remotes: [192.0.2.2], port: 4789}
            """;
        Daemon first = Daemon.start(lab, host, yaml);
        Netns vm1 = lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", VM1);
        Netns vm2 = lab.vmOnTap("vm2", host, "vm2", "10.0.0.2/24", VM2);
        assertThat(vm1.ping("10.0.0.2").allAnsweredOnce()).isTrue();
        assertThat(vm1.ping("10.0.0.3").allAnsweredOnce()).isTrue();
        String staleToken = Files.readString(first.tokenFile()).trim();
        // an API client in the middle of a response when the switch dies (a capture streams until its 30 s are up):
        // the kernel closes the server's side first, and the API's port stays in TIME_WAIT for a minute
        Background client = lab.spawn("API client", host, "curl", "-sN", "-o", "/dev/null", "-H",
            "Authorization: Bearer " + staleToken, "http://127.0.0.1:7739/api/v1/capture?port=vm1&seconds=30");
        Background.sleep(1500);

        first.kill();
        client.awaitExit(Duration.ofSeconds(10));
        assertThat(Files.readString(first.tokenFile()).trim()).as("the dead switch's token is left behind")
            .isEqualTo(staleToken);
        assertThat(vm1.linkGone("vm1")).as("the kernel removed the dead switch's tap").isTrue();
        assertThat(host.exec("ss", "-tan", "state", "time-wait", "( sport = :7739 )"))
            .as("the API's port in TIME_WAIT").contains("127.0.0.1:7739");

        Daemon second = Daemon.start(lab, host, yaml);
        assertThat(second.output()).doesNotContainIgnoringCase("in use").doesNotContainIgnoringCase("busy")
            .doesNotContain("Exception");
        assertThat(Files.readString(second.tokenFile()).trim()).as("a new token").isNotEqualTo(staleToken);
        assertThat(second.cli("ports")).contains("vm1").contains("up0").contains("vx");
        Cmd.Result stale = Daemon.cli(host, Map.of("VXSWITCH_TOKEN", staleToken), "ports");
        assertThat(stale.exitCode()).as("the stale token is refused").isNotZero();
        assertThat(stale.err()).contains("wrong API token");

        giveTap(host, "vm1", vm1, "10.0.0.1/24", VM1);
        giveTap(host, "vm2", vm2, "10.0.0.2/24", VM2);
        assertThat(vm1.ping("10.0.0.2").allAnsweredOnce()).as("vm1 -> vm2 on the new taps").isTrue();
        assertThat(vm1.ping("10.0.0.3").allAnsweredOnce()).as("vm1 -> peer through up0 again").isTrue();
        second.stop();
    }

    /** Hands a tap the daemon created again to the VM's namespace, as a hypervisor reattaches a VM's NIC. */
    private static void giveTap(Netns host, String tap, Netns vm, String cidr, String mac) {
        host.ip("link set " + tap + " netns " + vm.name());
        vm.ip("link set " + tap + " address " + mac);
        vm.ip("addr add " + cidr + " dev " + tap);
        vm.ip("link set " + tap + " up");
    }

    /** A port's line of the switch's exit report: "vm2   rx frames  rx bytes  tx frames  tx bytes  drops". */
    private record Report(long rxFrames, long txFrames, String drops) {
        static Report of(String output, String port) {
            Matcher m = Pattern.compile("^" + port + "\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(.*)$",
                Pattern.MULTILINE).matcher(output.substring(output.lastIndexOf("MAC table of")));
            assertThat(m.find()).as("port " + port + " in the exit report\n" + output).isTrue();
            return new Report(Long.parseLong(m.group(1)), Long.parseLong(m.group(3)), m.group(5));
        }

        long drop(String reason) {
            Matcher m = Pattern.compile(reason + "=(\\d+)").matcher(drops);
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        }
    }
}
