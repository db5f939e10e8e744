package io.vxswitch.app.it;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What is under a port changes while the switch runs: an operator deletes a VM's tap, takes an uplink's interface
 * down and up, then deletes it. The switch says so once per change, takes the port down (flushing what it learned
 * there), keeps forwarding between the ports that remain, and does not spin on a dead descriptor. Twice: the
 * uplink read with recvmmsg, and through a TPACKET_V3 ring (where the link going down shows only as a socket error).
 * <pre>
 *   [vm1 10.0.0.1]--tap vm1--+
 *   [vm2 10.0.0.2]--tap vm2--+-- vxswitch (namespace host) --up0==veth==eth0--[peer 10.0.0.3]
 * </pre>
 */
@Timeout(180)
class LinkLossIT extends LabIT {
    private static final Duration LOG_WAIT = Duration.ofSeconds(10);
    private static final String YAML = """
        switch: {name: it-link-loss}
        portGroups:
          - {name: lan, vlan: 0, security: {forgedTransmits: accept}, macLearning: {enabled: true}}
        ports:
          - {name: vm1, type: tap, portGroup: lan}
          - {name: vm2, type: tap, portGroup: lan}
          - {name: up0, type: interface, interface: up0, portGroup: lan, ring: %s}
        """;

    @ParameterizedTest(name = "ring {0}")
    @ValueSource(booleans = {false, true})
    void a_deleted_tap_and_an_interface_going_down_up_and_away_are_logged_and_the_other_ports_keep_forwarding(
        boolean ring) {
        Netns host = lab.netns("host");
        lab.vmOnVeth("peer", host, "up0", "10.0.0.3/24", "02:00:00:00:00:03", 1500);
        Daemon daemon = Daemon.start(lab, host, YAML.formatted(ring));
        Netns vm1 = lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", "02:00:00:00:00:01");
        Netns vm2 = lab.vmOnTap("vm2", host, "vm2", "10.0.0.2/24", "02:00:00:00:00:02");
        assertPings(vm1, "10.0.0.2");
        assertPings(vm1, "10.0.0.3");

        vm2.ip("link del vm2");
        daemon.awaitLog("port vm2: tap vm2 is gone .*port down; \\d+ learned MACs? flushed", LOG_WAIT);
        assertPings(vm1, "10.0.0.3");

        host.ip("link set up0 down");
        daemon.awaitLog("port up0: link down on interface up0", LOG_WAIT);
        assertThat(vm1.ping("10.0.0.3", 2, 1).noneAnswered()).as("no ping through a port that is down").isTrue();
        host.ip("link set up0 up");
        daemon.awaitLog("port up0: link up on interface up0", LOG_WAIT);
        assertThat(vm1.pingsWithin("10.0.0.3", Duration.ofSeconds(10))).as("ping once up0 is back up\n"
            + daemon.output()).isTrue();

        host.ip("link del up0");
        daemon.awaitLog("port up0: interface up0 .* is gone", LOG_WAIT);

        long before = daemon.cpuTicks();
        Background.sleep(2_000);
        long used = daemon.cpuTicks() - before;
        // A loop spinning on a dead descriptor burns a whole core: 200 ticks in 2 s at USER_HZ 100.
        assertThat(used).as("CPU ticks the idle switch used in 2 s with two dead ports\n" + daemon.output())
            .isLessThan(60);

        String out = daemon.stop();
        assertThat(out).as("output after SIGTERM").contains("stopped").doesNotContain("Exception")
            .containsOnlyOnce("port vm2: tap vm2 is gone").containsOnlyOnce("interface up0 (mtu 1500" + (ring ? ", rx ring 32 x 32 KiB)" : ")") + " is gone");
    }

    private void assertPings(Netns from, String to) {
        Ping p = from.ping(to);
        assertThat(p.allAnsweredOnce()).as(p + lab.diagnostics()).isTrue();
    }
}
