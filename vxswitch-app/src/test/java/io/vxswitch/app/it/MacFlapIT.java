package io.vxswitch.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One MAC on two hosts (a cloned VM): both copies ping vm1 at once, so the switch sees the MAC move back and forth
 * between two ports. The MAC move guard logs the flap once and, with a hold time, freezes the MAC on its first port:
 * frames from the other copy are dropped and counted as mac_move_frozen.
 * <pre>
 *   [vm1   10.0.0.1]--tap vm1----+
 *   [clone 10.0.0.9 02:..:99]--tap clonea--+-- vxswitch (namespace host), learning, macMove {maxMoves 3, hold 30 s}
 *   [clone 10.0.0.9 02:..:99]--tap cloneb--+
 * </pre>
 */
@Timeout(120)
class MacFlapIT extends LabIT {
    private static final String CLONE_MAC = "02:00:00:00:00:99";

    @Test
    void a_mac_on_two_ports_is_logged_as_flapping_and_frozen_on_its_first_port() {
        String yaml = """
            switch: {name: it-flap, macMove: {maxMoves: 3, windowSeconds: 10, holdSeconds: 30}}
            portGroups:
              - {name: lan, vlan: 0, security: {forgedTransmits: accept}, macLearning: {enabled: true}}
            ports:
              - {name: vm1, type: tap, portGroup: lan}
              - {name: clonea, type: tap, portGroup: lan}
              - {name: cloneb, type: tap, portGroup: lan}
            """;
        Netns host = lab.netns("host");
        Daemon daemon = Daemon.start(lab, host, yaml);
        lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", "02:00:00:00:00:01");
        Netns a = lab.vmOnTap("clonea", host, "clonea", "10.0.0.9/24", CLONE_MAC);
        Netns b = lab.vmOnTap("cloneb", host, "cloneb", "10.0.0.9/24", CLONE_MAC);

        Background pa = lab.spawn("ping from clone a", a, "ping", "-n", "-c", "25", "-i", "0.2", "10.0.0.1");
        Background pb = lab.spawn("ping from clone b", b, "ping", "-n", "-c", "25", "-i", "0.2", "10.0.0.1");
        daemon.awaitLog("MAC " + CLONE_MAC + " VLAN 0 is flapping: more than 3 moves in 10 s, the last from port"
            + " clone[ab] to clone[ab]; frozen on port clone[ab] for 30 s", Duration.ofSeconds(15));
        pa.awaitExit(Duration.ofSeconds(15));
        pb.awaitExit(Duration.ofSeconds(15));

        String stats = daemon.cli("stats");
        assertThat(stats).as("drops of the copy that lost").containsPattern("clone[ab].*mac_move_frozen=\\d+");
        String fdb = daemon.cli("fdb", "show", "--mac", CLONE_MAC);
        assertThat(fdb.lines().count()).as("one entry, on the port it was frozen on\n" + fdb).isEqualTo(2);
        String out = daemon.stop();
        assertThat(out).containsOnlyOnce("is flapping").doesNotContain("Exception");
    }
}
