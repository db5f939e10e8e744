package io.vxswitch.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.time.Duration;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may talk to a tunnel (issue 15, item 4), against the setup of {@link KernelVxlanIT}: vxswitch's VTEP 192.0.2.1
 * with vm1 and vm2, a kernel VTEP 192.0.2.2 with vm3. From hostB's side of the underlay, scapy forges VXLAN:
 * <ul>
 * <li>from 192.0.2.66, an address on the underlay that is no VTEP of the tunnel: dropped before the switch sees it,
 *     counted as {@code unknown_vtep} (vxswitch tunnels, stats, /metrics), one log line naming the address;</li>
 * <li>from 192.0.2.2, the known VTEP, with inner frames claiming vm1's MAC and a static MAC: neither moves, and
 *     traffic to them still reaches their ports.</li>
 * </ul>
 */
@Timeout(120)
class ForgedTunnelIT extends LabIT {
    private static final String VM1_MAC = KernelVxlanIT.VM1_MAC;
    private static final String STATIC_MAC = "02:00:00:00:00:77";
    private static final String SPOOFER = "192.0.2.66";
    private static final int FORGED = 20;

    private String python;
    private Netns hostA;
    private Netns hostB;
    private Netns vm1;
    private Netns vm2;
    private Daemon daemon;

    @BeforeEach
    void build() {
        Tools.assume("the kernel VXLAN peer", "ethtool", "curl");
        python = Scapy.python("forging VXLAN");
        KernelVxlanIT.Peer peer = KernelVxlanIT.kernelPeer(lab);
        hostA = peer.hostA();
        hostB = peer.hostB();
        daemon = Daemon.start(lab, hostA, KernelVxlanIT.hostA(""));
        vm1 = lab.vmOnTap("vm1", hostA, "vm1", "10.0.0.1/24", VM1_MAC);
        vm2 = lab.vmOnTap("vm2", hostA, "vm2", "10.0.0.2/24", KernelVxlanIT.VM2_MAC);
        Ping p = vm1.ping("10.0.0.3");
        assertThat(p.allAnsweredOnce()).as("the tunnel works before anything is forged" + p + lab.diagnostics())
            .isTrue();
    }

    private JsonNode tunnel() throws Exception {
        return new ObjectMapper().readTree(daemon.cli("tunnels", "--json")).get(0);
    }

    @Test
    void vxlan_from_an_underlay_address_outside_the_flood_list_is_dropped_counted_and_logged_once() throws Exception {
        Scapy.sendVxlan(python, hostB, "ul0", hostA.mac("ul0"), SPOOFER, "192.0.2.1", 119, "02:00:00:00:00:66",
            FORGED);

        Poll.until("vxswitch tunnels counts " + FORGED + " unknown_vtep drops", Duration.ofSeconds(10),
            () -> daemon.cli("tunnels"), out -> out.contains("unknown_vtep=" + FORGED), lab::diagnostics);
        JsonNode t = tunnel();
        assertThat(t.path("acceptFrom").asText()).isEqualTo("known");
        assertThat(t.path("drops").path("unknown_vtep").asLong()).isEqualTo(FORGED);
        assertThat(t.path("peers").toString()).as("traffic never makes a VTEP known").doesNotContain(SPOOFER);
        assertThat(daemon.portStats("vx119").path("drops").path("unknown_vtep").asLong()).as("vxswitch stats")
            .isEqualTo(FORGED);
        // the tunnel's port group learns: had one forged frame reached the switch, its source would be in the table
        assertThat(daemon.cli("fdb", "show", "--mac", "02:00:00:00:00:66")).as("no forged frame reached the switch")
            .doesNotContain("02:00:00:00:00:66");
        String token = Files.readString(daemon.tokenFile()).trim();
        assertThat(hostA.exec("curl", "-s", "-H", "Authorization: Bearer " + token, "http://127.0.0.1:7739/metrics"))
            .containsPattern("vxswitch_vxlan_drops_total\\{[^}]*reason=\"unknown_vtep\"[^}]*\\} " + FORGED + "(\\.0)?\n");

        String log = daemon.output();
        assertThat(Pattern.compile("tunnel vx119: dropped VXLAN from " + Pattern.quote(SPOOFER) + ": not a VTEP this "
            + "tunnel knows").matcher(log).results().count()).as("one line for %d forged packets:\n%s", FORGED, log)
            .isOne();
        Ping still = vm1.ping("10.0.0.3");
        assertThat(still.allAnsweredOnce()).as(still + lab.diagnostics()).isTrue();
    }

    @Test
    void a_known_vtep_claiming_a_vnics_or_a_static_mac_moves_neither() {
        daemon.cli("fdb", "add", "--vlan", "119", "--mac", STATIC_MAC, "--port", "vm2");
        long rxBefore = daemon.portStats("vx119").path("rxFrames").asLong();
        for (String claimed : new String[] {VM1_MAC, STATIC_MAC}) {
            Scapy.sendVxlan(python, hostB, "ul0", hostA.mac("ul0"), "192.0.2.2", "192.0.2.1", 119, claimed, 5);
        }
        Poll.until("the forged frames crossed the tunnel into the switch", Duration.ofSeconds(10),
            () -> Long.toString(daemon.portStats("vx119").path("rxFrames").asLong() - rxBefore),
            n -> Long.parseLong(n) >= 10, lab::diagnostics);

        String fdb = daemon.cli("fdb", "show");
        assertThat(fdb).as("vm1's MAC is its vNIC's, nowhere else")
            .containsPattern("vm1\\s+119\\s+" + VM1_MAC + "\\s+-\\s+vnic")
            .doesNotContainPattern("vx119\\s+119\\s+" + VM1_MAC);
        assertThat(fdb).as("the static entry stays on vm2")
            .containsPattern("vm2\\s+119\\s+" + STATIC_MAC + "\\s+-\\s+static")
            .doesNotContainPattern("vx119\\s+119\\s+" + STATIC_MAC);
        Ping local = vm2.ping("10.0.0.1");
        assertThat(local.allAnsweredOnce()).as("vm2 still reaches vm1 on its tap" + local + lab.diagnostics())
            .isTrue();
        assertThat(daemon.cli("trace", "--port", "vm1", "--src", VM1_MAC, "--dst", STATIC_MAC))
            .contains("Result: forward to vm2");
    }
}
