package io.vxswitch.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The EVPN peers the vxswitch EVPN tests stand on, proven on their own: two FRR EVPN hosts (RFC 8365, kernel
 * bridge + vxlan119 with {@code nolearning}) find each other through a route reflector, GoBGP or FRR:
 * <pre>
 *   vm3 10.0.0.3 -- br0+vxlan119 hostC 192.0.2.3 --+
 *   vm4 10.0.0.4 -- br0+vxlan119 hostD 192.0.2.4 --+-- underlay br0 --+-- rr 192.0.2.254 (AS 65000, l2vpn evpn)
 * </pre>
 * Nothing but EVPN fills the vxlan devices' FDBs: each host's type-3 (IMET) route, reflected to the other, becomes its
 * flood entry {@code 00:00:00:00:00:00 dst VTEP}; the first ping's ARP goes through it, and each VM's MAC, learned
 * on its bridge, comes back to the other host as a type-2 route ({@code extern_learn}).
 */
@Timeout(90)
class EvpnPeersIT extends LabIT {
    private static final Duration CONVERGE = Duration.ofSeconds(30);
    private static final String VM3_MAC = "02:00:00:00:00:03";
    private static final String VM4_MAC = "02:00:00:00:00:04";

    @Test
    void two_frr_evpn_hosts_find_each_others_vtep_through_a_gobgp_reflector_and_their_vms_ping() {
        long t0 = System.nanoTime();
        EvpnFabric fabric = EvpnFabric.withGobgpReflector(lab);
        long seconds = twoFrrHostsConverge(fabric, t0);
        Gobgp gobgp = fabric.reflector(Gobgp.class);
        assertThat(gobgp.gobgp("global", "rib", "-a", "evpn", "multicast"))
            .as("GoBGP holds both hosts' type-3 routes, PMSI ingress replication with label = VNI")
            .contains("[ip:192.0.2.3]", "[ip:192.0.2.4]", "ingress-repl, label: 119");
        assertThat(gobgp.gobgp("global", "rib", "-a", "evpn", "macadv"))
            .as("and both VMs' type-2 routes").contains(VM3_MAC, VM4_MAC);
        System.out.printf("[EvpnPeersIT] GoBGP reflector: fabric up, sessions, routes and pings in %d s%n", seconds);
    }

    @Test
    void two_frr_evpn_hosts_find_each_others_vtep_through_an_frr_reflector_and_their_vms_ping() {
        long t0 = System.nanoTime();
        EvpnFabric fabric = EvpnFabric.withFrrReflector(lab);
        long seconds = twoFrrHostsConverge(fabric, t0);
        Frr rr = fabric.reflector(Frr.class);
        assertThat(rr.vtysh("show bgp l2vpn evpn route type multicast"))
            .as("FRR's reflector holds both hosts' type-3 routes")
            .contains("[3]:[0]:[32]:[192.0.2.3]", "[3]:[0]:[32]:[192.0.2.4]");
        System.out.printf("[EvpnPeersIT] FRR reflector: fabric up, sessions, routes and pings in %d s%n", seconds);
    }

    /** Both hosts, both ways: session, type-3 route, remote VTEP, flood entry, ping, type-2. Returns the seconds. */
    private long twoFrrHostsConverge(EvpnFabric fabric, long t0) {
        EvpnFabric.FrrHost c = fabric.frrHost("hostC", "192.0.2.3", "vm3", "10.0.0.3/24", VM3_MAC);
        EvpnFabric.FrrHost d = fabric.frrHost("hostD", "192.0.2.4", "vm4", "10.0.0.4/24", VM4_MAC);
        fabric.awaitSessions(CONVERGE);
        c.frr().awaitEstablished(CONVERGE, EvpnFabric.REFLECTOR);
        d.frr().awaitEstablished(CONVERGE, EvpnFabric.REFLECTOR);
        System.out.printf("[EvpnPeersIT] sessions Established %d ms after the fabric was started%n",
            (System.nanoTime() - t0) / 1_000_000);

        for (EvpnFabric.FrrHost[] pair : new EvpnFabric.FrrHost[][] {{c, d}, {d, c}}) {
            EvpnFabric.FrrHost self = pair[0];
            String other = pair[1].address();
            Poll.until(self.host() + " has " + other + "'s type-3 route", CONVERGE,
                () -> self.frr().vtysh("show bgp l2vpn evpn route type multicast"),
                out -> out.contains("[3]:[0]:[32]:[" + other + "]"), fabric::state);
            self.frr().awaitRemoteVtep(EvpnFabric.VNI, other, CONVERGE);
            Poll.until(self.host() + "'s zebra installed the flood entry to " + other, CONVERGE,
                () -> self.host().exec("bridge", "fdb", "show", "dev", "vxlan" + EvpnFabric.VNI),
                out -> out.contains("00:00:00:00:00:00 dst " + other + " self permanent"), fabric::state);
        }

        assertThat(c.vm().pingsWithin("10.0.0.4", Duration.ofSeconds(10)))
            .as("vm3 -> vm4 answered through the EVPN-programmed flood entries" + fabric.state()).isTrue();
        Ping ping = c.vm().ping("10.0.0.4");
        assertThat(ping.allAnsweredOnce()).as(ping + fabric.state()).isTrue();

        // the VMs' MACs, learned on each bridge by zebra, reach the other host as type-2 routes
        Poll.until("hostC installs vm4's MAC from its type-2 route", CONVERGE,
            () -> c.host().exec("bridge", "fdb", "show", "dev", "vxlan" + EvpnFabric.VNI),
            out -> out.contains(VM4_MAC + " dst 192.0.2.4") && out.contains("extern_learn"), fabric::state);
        Poll.until("hostD installs vm3's MAC from its type-2 route", CONVERGE,
            () -> d.host().exec("bridge", "fdb", "show", "dev", "vxlan" + EvpnFabric.VNI),
            out -> out.contains(VM3_MAC + " dst 192.0.2.3") && out.contains("extern_learn"), fabric::state);
        return (System.nanoTime() - t0) / 1_000_000_000;
    }
}
