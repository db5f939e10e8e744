package io.vxswitch.evpn;

import io.vxswitch.bgp.peers.Eventually;
import io.vxswitch.bgp.peers.GobgpReflector;
import io.vxswitch.bgp.session.SessionConfig;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two vxswitch control planes (hosts A and B, VTEPs 192.0.2.1 and 192.0.2.3) as clients of a real GoBGP route
 * reflector on loopback: each finds the other's VTEP for its flood list with no static list, learns the other's
 * MACs, follows a MAC that moves (RFC 7432 §15), and forgets a host that goes away.
 */
class GobgpFabricTest {
    private static final String HOST_A = "127.0.0.1";
    private static final String HOST_B = "127.0.0.3";
    private static final long VM = MacAddress.parseBits("02:00:00:00:01:19");

    @Test
    void twoHostsShareOneSegmentThroughAReflector() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        RecordingDataplane a = new RecordingDataplane();
        RecordingDataplane b = new RecordingDataplane();
        try (GobgpReflector reflector = GobgpReflector.start(65000, 65000, HOST_A, HOST_B);
             EvpnSpeaker hostA = host(reflector, HOST_A, "192.0.2.1", a, log);
             EvpnSpeaker hostB = host(reflector, HOST_B, "192.0.2.3", b, log)) {
            hostA.start();
            hostB.start();
            Eventually.within(Duration.ofSeconds(20), "each host floods VNI 119 to the other",
                    () -> a.flood.getOrDefault(119, Set.of()).contains(address("192.0.2.3"))
                            && b.flood.getOrDefault(119, Set.of()).contains(address("192.0.2.1")));
            assertThat(hostA.neighbors()).singleElement().satisfies(n -> {
                assertThat(n.state()).isEqualTo("Established");
                assertThat(n.routesReceived()).isEqualTo(1);
            });

            hostA.localMacLearned(119, VM, false);
            Eventually.within(Duration.ofSeconds(10), "B learns A's VM behind A",
                    () -> "192.0.2.1 seq 0".equals(b.remoteMacs.get("119 02:00:00:00:01:19")));
            String rib = reflector.gobgp("global", "rib", "-a", "evpn");
            assertThat(rib).contains("[mac:02:00:00:00:01:19]").contains("192.0.2.1");

            // the VM migrates to B: B sees it locally, advertises sequence 1; A lets go and points at B
            hostB.localMacLearned(119, VM, false);
            Eventually.within(Duration.ofSeconds(10), "A follows the VM to B",
                    () -> "192.0.2.3 seq 1".equals(a.remoteMacs.get("119 02:00:00:00:01:19")));
            assertThat(hostB.routes()).anyMatch(r -> r.source().equals("local") && r.type() == 2 && r.sequence() == 1
                    && r.communities().contains("MM:1"));
            Eventually.within(Duration.ofSeconds(10), "A withdraws its old route",
                    () -> hostA.routes().stream().noneMatch(r -> r.source().equals("local") && r.type() == 2));
            assertThat(b.remoteMacs).doesNotContainKey("119 02:00:00:00:01:19");

            // host B goes away: the reflector withdraws its routes and A forgets its VTEP and the VM
            hostB.close();
            Eventually.within(Duration.ofSeconds(10), "A forgets B",
                    () -> !a.flood.getOrDefault(119, Set.of()).contains(address("192.0.2.3"))
                            && !a.remoteMacs.containsKey("119 02:00:00:00:01:19"));
        }
        assertThat(log).noneMatch(l -> l.contains("internal error") || l.contains("sending NOTIFICATION"));
    }

    private static EvpnSpeaker host(GobgpReflector reflector, String client, String vtep, EvpnDataplane dataplane,
                                    List<String> log) throws Exception {
        int routerId = Ipv4Address.parse(vtep);
        SessionConfig neighbor = SessionConfig.of(65000, routerId, InetAddress.getByName(GobgpReflector.ADDRESS), 65000)
                .withPort(reflector.bgpPort).withLocalAddress(InetAddress.getByName(client))
                .withTimers(Duration.ofSeconds(90), Duration.ofSeconds(30), Duration.ofSeconds(1));
        VniConfig vni = VniConfig.defaults(119, 65000, routerId, 1, InetAddress.getByName(vtep), false);
        return new EvpnSpeaker(new EvpnConfig(65000, routerId, List.of(neighbor), List.of(vni)), dataplane,
                line -> log.add(client + ": " + line));
    }

    private static InetAddress address(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
