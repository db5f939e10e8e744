package io.vxswitch.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * vxswitch as a first-class VTEP of a BGP EVPN fabric (issue 14), with real peers only and no static flood list
 * anywhere:
 * <pre>
 *   vm1 10.0.0.1 -tap- vxswitch hostA 192.0.2.1 --+
 *   vm2 10.0.0.2 -tap- vxswitch hostB 192.0.2.2 --+-- underlay br0 --+-- rr 192.0.2.254 (GoBGP or FRR, AS 65000)
 *   vm3 10.0.0.3 -- br0+vxlan119 FRR hostC 192.0.2.3 --+
 * </pre>
 * Each host's type-3 route fills the others' flood lists; each VM's MAC comes back to the other hosts as a type-2
 * route: FRR programs its kernel FDB from vxswitch's routes, vxswitch its FDB ({@code evpn} entries) from FRR's.
 */
@Timeout(150)
class EvpnFabricIT extends LabIT {
    private static final Duration CONVERGE = Duration.ofSeconds(30);
    private static final String YAML = """
        switch: {name: it-%s}
        portGroups:
          - {name: vlan119, vlan: 119}
        ports:
          - {name: %s, type: tap, portGroup: vlan119, mac: "%s", mtu: 1450}
        evpn:
          asn: 65000
          routerId: %s
          holdTime: 9
          keepalive: 3
          connectRetry: 2
          neighbors:
            - {address: 192.0.2.254, asn: 65000}
        tunnels:
          - {name: vx119, vni: 119, vlan: 119, local: %s, controlPlane: evpn}
        """;

    @Test
    void vxswitch_hosts_and_an_frr_host_share_one_segment_through_a_gobgp_reflector() {
        EvpnFabric fabric = EvpnFabric.withGobgpReflector(lab);
        Fabric f = threeHosts(fabric);
        String rib = fabric.reflector(Gobgp.class).gobgp("global", "rib", "-a", "evpn");
        assertThat(rib).as("GoBGP holds vxswitch's type-3 and type-2 routes")
            .contains("[type:multicast][rd:192.0.2.1:1][etag:0][ip:192.0.2.1]", "[mac:02:00:00:00:00:01]",
                "[mac:02:00:00:00:00:02]", "ingress-repl");
        assertThat(f.a.stop()).doesNotContain("Exception");
        assertThat(f.b.stop()).doesNotContain("Exception");
    }

    @Test
    void vxswitch_hosts_and_an_frr_host_share_one_segment_through_an_frr_reflector() {
        EvpnFabric fabric = EvpnFabric.withFrrReflector(lab);
        Fabric f = threeHosts(fabric);
        assertThat(fabric.reflector(Frr.class).vtysh("show bgp l2vpn evpn route type multicast"))
            .as("FRR's reflector holds vxswitch's type-3 routes")
            .contains("[3]:[0]:[32]:[192.0.2.1]", "[3]:[0]:[32]:[192.0.2.2]");
        assertThat(f.a.stop()).doesNotContain("Exception");
        assertThat(f.b.stop()).doesNotContain("Exception");
    }

    @Test
    void a_vxswitch_host_that_stops_is_withdrawn_and_comes_back_when_it_restarts() {
        EvpnFabric fabric = EvpnFabric.withGobgpReflector(lab);
        Fabric f = threeHosts(fabric);
        Frr frr = f.c.frr();
        assertThat(f.b.stop()).doesNotContain("Exception");
        Poll.until("FRR forgets hostB's VTEP once hostB stops (its Cease withdraws its routes at once)",
            Duration.ofSeconds(5), () -> String.join(" ", frr.remoteVteps(119)), out -> !out.contains("192.0.2.2"),
            fabric::state);
        Daemon b = Daemon.start(lab, f.hostB, YAML.formatted("hostB", "vm2", "02:00:00:00:00:02", "192.0.2.2",
            "192.0.2.2"));
        lab.vmOnTap("vm2b", f.hostB, "vm2", "10.0.0.2/24", "02:00:00:00:00:02"); // the VM on the new daemon's tap
        frr.awaitRemoteVtep(119, "192.0.2.2", CONVERGE);
        assertThat(f.vm3.pingsWithin("10.0.0.2", CONVERGE)).as("vm3 reaches vm2 again" + fabric.state()).isTrue();
        assertThat(b.stop()).doesNotContain("Exception");
        assertThat(f.a.stop()).doesNotContain("Exception");
    }

    private static final String LEARNING_YAML = """
        switch: {name: it-%s}
        portGroups:
          - name: vlan119
            vlan: 119
            security: {forgedTransmits: accept}
            macLearning: {enabled: true}
        ports:
          - {name: vmtap, type: tap, portGroup: vlan119, mtu: 1450}
        evpn:
          asn: 65000
          holdTime: 9
          keepalive: 3
          connectRetry: 2
          neighbors:
            - {address: 192.0.2.254, asn: 65000}
        tunnels:
          - {name: vx119, vni: 119, vlan: 119, local: %s, controlPlane: evpn}
        """;

    @Test
    void a_vm_that_moves_to_another_host_is_followed_by_the_fabric_with_a_higher_sequence_number() {
        EvpnFabric fabric = EvpnFabric.withGobgpReflector(lab);
        Netns hostA = fabric.host("hostA", "192.0.2.1");
        Netns hostB = fabric.host("hostB", "192.0.2.2");
        EvpnFabric.FrrHost c = fabric.frrHost("hostC", "192.0.2.3", "vm3", "10.0.0.3/24", "02:00:00:00:00:03");
        Daemon a = Daemon.start(lab, hostA, LEARNING_YAML.formatted("hostA", "192.0.2.1"));
        Daemon b = Daemon.start(lab, hostB, LEARNING_YAML.formatted("hostB", "192.0.2.2"));
        Netns before = lab.vmOnTap("vmx", hostA, "vmtap", "10.0.0.9/24", "02:00:00:00:00:99");
        fabric.awaitSessions(CONVERGE);
        c.frr().awaitRemoteVtep(119, "192.0.2.1", CONVERGE);
        c.frr().awaitRemoteVtep(119, "192.0.2.2", CONVERGE);
        assertThat(c.vm().pingsWithin("10.0.0.9", CONVERGE)).as("vm3 reaches the VM on hostA" + fabric.state()).isTrue();
        Poll.until("FRR has the VM's MAC behind hostA", CONVERGE,
            () -> c.host().exec("bridge", "fdb", "show", "dev", "vxlan119"),
            out -> out.contains("02:00:00:00:00:99 dst 192.0.2.1"), fabric::state);

        // the VM migrates: gone from hostA's tap, up on hostB's with the same MAC and address, and it speaks first
        before.ip("link set vmtap down");
        Netns after = lab.vmOnTap("vmx2", hostB, "vmtap", "10.0.0.9/24", "02:00:00:00:00:99");
        long moved = System.nanoTime();
        after.ping("10.0.0.3", 1, 1);
        boolean resumed = false;
        while (!resumed && System.nanoTime() - moved < Duration.ofSeconds(10).toNanos()) {
            resumed = c.vm().ping("10.0.0.9", 1, 1).received() > 0;
        }
        long millis = (System.nanoTime() - moved) / 1_000_000;
        System.out.printf("[EvpnFabricIT] vm3 reaches the moved VM again %d ms after it spoke on hostB%n", millis);
        assertThat(resumed).as("vm3 reaches the VM on hostB" + fabric.state() + a.output() + b.output()).isTrue();
        assertThat(millis).as("pings resume within about a second").isLessThan(2_000);

        Poll.until("FRR follows the MAC to hostB", CONVERGE,
            () -> c.host().exec("bridge", "fdb", "show", "dev", "vxlan119"),
            out -> out.contains("02:00:00:00:00:99 dst 192.0.2.2"), fabric::state);
        Poll.until("hostA points the MAC at hostB with sequence 1 and withdraws its own route", CONVERGE,
            () -> a.cli("fdb", "show") + a.cli("evpn", "routes"),
            out -> out.lines().anyMatch(l -> l.contains("02:00:00:00:00:99") && l.contains("evpn")
                && l.contains("192.0.2.2")) && !out.lines().anyMatch(l -> l.contains("02:00:00:00:00:99")
                && l.contains("local")), fabric::state);
        assertThat(b.cli("evpn", "routes")).as("hostB advertises the MAC with MAC mobility sequence 1")
            .containsPattern("02:00:00:00:00:99.*MM:1");
        assertThat(a.stop()).doesNotContain("Exception");
        assertThat(b.stop()).doesNotContain("Exception");
    }

    @Test
    void with_arp_suppression_an_arp_request_for_a_remote_vm_is_answered_locally_and_never_crosses_the_underlay() {
        Tools.assume("the underlay count", "tshark");
        EvpnFabric fabric = EvpnFabric.withGobgpReflector(lab);
        Netns hostA = fabric.host("hostA", "192.0.2.1");
        Netns hostB = fabric.host("hostB", "192.0.2.2");
        String suppressing = YAML.replace("controlPlane: evpn}", "controlPlane: evpn, arpSuppression: true}");
        Daemon a = Daemon.start(lab, hostA, suppressing.formatted("hostA", "vm1", "02:00:00:00:00:01", "192.0.2.1",
            "192.0.2.1"));
        Daemon b = Daemon.start(lab, hostB, suppressing.formatted("hostB", "vm2", "02:00:00:00:00:02", "192.0.2.2",
            "192.0.2.2"));
        Netns vm1 = lab.vmOnTap("vm1", hostA, "vm1", "10.0.0.1/24", "02:00:00:00:00:01");
        Netns vm2 = lab.vmOnTap("vm2", hostB, "vm2", "10.0.0.2/24", "02:00:00:00:00:02");
        fabric.awaitSessions(CONVERGE);
        // vm2 speaks ARP once (to an address nobody has): hostB snoops 10.0.0.2 is-at vm2 and advertises the MAC/IP
        vm2.ping("10.0.0.99", 1, 1);
        Poll.until("hostA has vm2's MAC/IP route", CONVERGE, () -> a.cli("evpn", "routes", "--type", "2"),
            out -> out.contains("[02:00:00:00:00:02]:[32]:[10.0.0.2]"), fabric::state);

        Capture underlay = Capture.tshark(lab, hostA, "ul0", "udp port 4789");
        assertThat(vm1.pingsWithin("10.0.0.2", CONVERGE)).as("vm1 reaches vm2" + fabric.state()).isTrue();
        underlay.stop();
        String arps = Cmd.run(List.of("tshark", "-n", "-r", underlay.file().toString(), "-Y",
            "vxlan && arp.dst.proto_ipv4 == 10.0.0.2 && eth.dst == ff:ff:ff:ff:ff:ff", "-T", "fields", "-e", "ip.src",
            "-e", "frame.time_relative", "-e", "arp.opcode", "-e", "arp.src.proto_ipv4")).out();
        assertThat(arps.strip()).as("no ARP request for 10.0.0.2 was flooded over the underlay: hostA answered it"
            + Cmd.run(List.of("tshark", "-n", "-r", underlay.file().toString(), "-Y", "arp")).out()).isEmpty();
        String icmp = Cmd.run(List.of("tshark", "-n", "-r", underlay.file().toString(), "-Y", "vxlan && icmp",
            "-T", "fields", "-e", "ip.src")).out();
        assertThat(icmp).as("while the pings themselves did").contains("10.0.0.1");
        assertThat(a.portStats("vm1").path("arp").path("suppressed").asLong()).as("counted on vm1's port").isPositive();
        assertThat(a.stop()).doesNotContain("Exception");
        assertThat(b.stop()).doesNotContain("Exception");
    }

    /**
     * The IPv6 half (RFC 9161): hostB snoops vm2's neighbour solicitation, advertises a MAC/IP route with its IPv6
     * address (FRR as the reflector decodes and reflects it), and hostA answers vm1's solicitation for that address
     * itself: no solicitation for it crosses the underlay, while the pings do.
     */
    @Test
    void with_suppression_a_neighbour_solicitation_for_a_remote_vm_is_answered_locally_from_its_ipv6_mac_ip_route() {
        Tools.assume("the underlay count", "tshark");
        EvpnFabric fabric = EvpnFabric.withFrrReflector(lab);
        Netns hostA = fabric.host("hostA", "192.0.2.1");
        Netns hostB = fabric.host("hostB", "192.0.2.2");
        String suppressing = YAML.replace("controlPlane: evpn}", "controlPlane: evpn, arpSuppression: true}");
        Daemon a = Daemon.start(lab, hostA, suppressing.formatted("hostA", "vm1", "02:00:00:00:00:01", "192.0.2.1",
            "192.0.2.1"));
        Daemon b = Daemon.start(lab, hostB, suppressing.formatted("hostB", "vm2", "02:00:00:00:00:02", "192.0.2.2",
            "192.0.2.2"));
        Netns vm1 = lab.vmOnTap("vm1", hostA, "vm1", "10.0.0.1/24", "02:00:00:00:00:01");
        Netns vm2 = lab.vmOnTap("vm2", hostB, "vm2", "10.0.0.2/24", "02:00:00:00:00:02");
        // the lab turns IPv6 off in every namespace; these two VMs speak it (no DAD: the address is usable at once)
        vm1.sysctl("net.ipv6.conf.all.disable_ipv6=0");
        vm1.sysctl("net.ipv6.conf.vm1.disable_ipv6=0");
        vm1.ip("-6 addr add 2001:db8:119::1/64 dev vm1 nodad");
        vm2.sysctl("net.ipv6.conf.all.disable_ipv6=0");
        vm2.sysctl("net.ipv6.conf.vm2.disable_ipv6=0");
        vm2.ip("-6 addr add 2001:db8:119::2/64 dev vm2 nodad");
        fabric.awaitSessions(CONVERGE);
        // vm2 solicits once (for an address nobody has): hostB snoops 2001:db8:119::2 is-at vm2 and advertises it
        vm2.ping("2001:db8:119::99", 1, 1);
        Poll.until("hostA has vm2's IPv6 MAC/IP route", CONVERGE, () -> a.cli("evpn", "routes", "--type", "2"),
            out -> out.contains("[02:00:00:00:00:02]:[128]:[2001:db8:119::2]"), fabric::state);
        Frr rr = fabric.reflector(Frr.class);
        assertThat(rr.vtysh("show bgp l2vpn evpn route type macip")).as("FRR decoded and reflected it")
            .contains("[02:00:00:00:00:02]:[128]:[2001:db8:119::2]");

        Capture underlay = Capture.tshark(lab, hostA, "ul0", "udp port 4789");
        assertThat(vm1.pingsWithin("2001:db8:119::2", CONVERGE)).as("vm1 reaches vm2 over IPv6" + fabric.state())
            .isTrue();
        underlay.stop();
        String solicitations = Cmd.run(List.of("tshark", "-n", "-r", underlay.file().toString(), "-Y",
            "vxlan && icmpv6.type == 135 && icmpv6.nd.ns.target_address == 2001:db8:119::2", "-T", "fields", "-e",
            "ip.src", "-e", "ipv6.src")).out();
        assertThat(solicitations.strip()).as("no solicitation for vm2's address crossed the underlay: hostA answered"
            + Cmd.run(List.of("tshark", "-n", "-r", underlay.file().toString(), "-Y", "icmpv6")).out()).isEmpty();
        String echoes = Cmd.run(List.of("tshark", "-n", "-r", underlay.file().toString(), "-Y",
            "vxlan && icmpv6.type == 128", "-T", "fields", "-e", "ipv6.src")).out();
        assertThat(echoes).as("while the pings themselves did").contains("2001:db8:119::1");
        assertThat(a.portStats("vm1").path("nd").path("suppressed").asLong()).as("counted on vm1's port").isPositive();
        assertThat(a.stop()).doesNotContain("Exception");
        assertThat(b.stop()).doesNotContain("Exception");
    }

    @Test
    void a_mac_two_hosts_keep_taking_from_each_other_is_frozen_by_the_first_that_sees_it_flap_and_logged_once() {
        EvpnFabric fabric = EvpnFabric.withGobgpReflector(lab);
        Netns hostA = fabric.host("hostA", "192.0.2.1");
        Netns hostB = fabric.host("hostB", "192.0.2.2");
        String guarded = LEARNING_YAML.replace("switch: {name: it-%s}",
            "switch: {name: it-%s, macMove: {maxMoves: 3, windowSeconds: 30, holdSeconds: 60}}");
        Daemon a = Daemon.start(lab, hostA, guarded.formatted("hostA", "192.0.2.1"));
        Daemon b = Daemon.start(lab, hostB, guarded.formatted("hostB", "192.0.2.2"));
        Netns dupA = lab.vmOnTap("dupA", hostA, "vmtap", "10.0.0.61/24", "02:00:00:00:00:66");
        Netns dupB = lab.vmOnTap("dupB", hostB, "vmtap", "10.0.0.62/24", "02:00:00:00:00:66");
        fabric.awaitSessions(CONVERGE);
        // both keep speaking (ARP for an address nobody has, about once a second): each frame takes the MAC back
        // (a higher sequence number each time), so it goes back and forth between the hosts
        lab.spawn("ping from dupA", dupA, "ping", "-i", "0.3", "10.0.0.250");
        lab.spawn("ping from dupB", dupB, "ping", "-i", "0.3", "10.0.0.250");
        String flapping = "MAC 02:00:00:00:00:66 VLAN 119 is flapping";
        Poll.until("a host sees the MAC flap and freezes it", Duration.ofSeconds(40),
            () -> a.output() + b.output(), out -> out.contains(flapping) && out.contains("frozen on port"),
            fabric::state);
        Background.sleep(6_000); // frozen where it is: no more moves, no more UPDATEs, no more lines
        String outA = a.stop();
        String outB = b.stop();
        assertThat((outA + outB).lines().filter(l -> l.contains(flapping)).count())
            .as("the duplicate is stopped by one freeze, logged once" + outA + outB).isEqualTo(1);
    }

    @Test
    void a_vxswitch_host_that_is_killed_is_withdrawn_within_the_hold_time() {
        EvpnFabric fabric = EvpnFabric.withGobgpReflector(lab);
        Fabric f = threeHosts(fabric);
        Frr frr = f.c.frr();
        long killed = System.nanoTime();
        f.b.kill(); // no Cease: the reflector sees the TCP connection drop (or, failing that, its hold timer, 9 s)
        Poll.until("FRR forgets hostB's VTEP within the hold time", Duration.ofSeconds(12),
            () -> String.join(" ", frr.remoteVteps(119)), out -> !out.contains("192.0.2.2"), fabric::state);
        System.out.printf("[EvpnFabricIT] a killed host's routes were gone at FRR %d ms later%n",
            (System.nanoTime() - killed) / 1_000_000);
        assertThat(f.a.stop()).doesNotContain("Exception");
    }

    private record Fabric(Daemon a, Daemon b, Netns hostB, EvpnFabric.FrrHost c, Netns vm1, Netns vm2, Netns vm3) {
    }

    /** hostA and hostB (vxswitch) and hostC (FRR) converge, and every VM pings every other. */
    private Fabric threeHosts(EvpnFabric fabric) {
        Netns hostA = fabric.host("hostA", "192.0.2.1");
        Netns hostB = fabric.host("hostB", "192.0.2.2");
        EvpnFabric.FrrHost c = fabric.frrHost("hostC", "192.0.2.3", "vm3", "10.0.0.3/24", "02:00:00:00:00:03");
        Daemon a = Daemon.start(lab, hostA, YAML.formatted("hostA", "vm1", "02:00:00:00:00:01", "192.0.2.1",
            "192.0.2.1"));
        Daemon b = Daemon.start(lab, hostB, YAML.formatted("hostB", "vm2", "02:00:00:00:00:02", "192.0.2.2",
            "192.0.2.2"));
        Netns vm1 = lab.vmOnTap("vm1", hostA, "vm1", "10.0.0.1/24", "02:00:00:00:00:01");
        Netns vm2 = lab.vmOnTap("vm2", hostB, "vm2", "10.0.0.2/24", "02:00:00:00:00:02");
        fabric.awaitSessions(CONVERGE);
        c.frr().awaitRemoteVtep(119, "192.0.2.1", CONVERGE);
        c.frr().awaitRemoteVtep(119, "192.0.2.2", CONVERGE);
        Poll.until("hostA's flood list has hostB and hostC from their type-3 routes", CONVERGE,
            () -> a.cli("tunnels"), out -> out.contains("192.0.2.2") && out.contains("192.0.2.3"), fabric::state);

        for (String[] pair : new String[][] {{"vm1", "10.0.0.2"}, {"vm1", "10.0.0.3"}, {"vm2", "10.0.0.3"},
            {"vm3", "10.0.0.1"}, {"vm3", "10.0.0.2"}, {"vm2", "10.0.0.1"}}) {
            Netns from = switch (pair[0]) {
                case "vm1" -> vm1;
                case "vm2" -> vm2;
                default -> c.vm();
            };
            assertThat(from.pingsWithin(pair[1], CONVERGE)).as(pair[0] + " pings " + pair[1] + fabric.state()
                + a.output() + b.output()).isTrue();
        }
        // FRR's kernel FDB follows vxswitch's type-2 routes; vxswitch's FDB follows FRR's
        Poll.until("FRR installs vm1's MAC behind hostA", CONVERGE,
            () -> c.host().exec("bridge", "fdb", "show", "dev", "vxlan119"),
            out -> out.contains("02:00:00:00:00:01 dst 192.0.2.1"), fabric::state);
        assertThat(c.frr().vtysh("show bgp l2vpn evpn route type macip"))
            .contains("[2]:[0]:[48]:[02:00:00:00:00:01]", "[2]:[0]:[48]:[02:00:00:00:00:02]");
        Poll.until("vxswitch hostA has vm3's MAC as an evpn entry behind hostC", CONVERGE,
            () -> a.cli("fdb", "show"), out -> out.lines().anyMatch(l -> l.contains("02:00:00:00:00:03")
                && l.contains("evpn") && l.contains("192.0.2.3")), fabric::state);
        assertThat(a.cli("fdb", "show")).as("no data-plane learning on the EVPN tunnel")
            .doesNotContain("learned");
        return new Fabric(a, b, hostB, c, vm1, vm2, c.vm());
    }
}
