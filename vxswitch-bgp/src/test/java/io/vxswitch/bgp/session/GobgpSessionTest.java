package io.vxswitch.bgp.session;

import io.vxswitch.bgp.evpn.EvpnRoute;
import io.vxswitch.bgp.evpn.ExtendedCommunities;
import io.vxswitch.bgp.evpn.InclusiveMulticastRoute;
import io.vxswitch.bgp.evpn.MacIpRoute;
import io.vxswitch.bgp.evpn.RouteDistinguisher;
import io.vxswitch.bgp.message.MpReach;
import io.vxswitch.bgp.message.Open;
import io.vxswitch.bgp.message.PathAttributes;
import io.vxswitch.bgp.message.PmsiTunnel;
import io.vxswitch.bgp.message.RouteRefresh;
import io.vxswitch.bgp.message.Update;
import io.vxswitch.bgp.peers.Eventually;
import io.vxswitch.bgp.peers.GobgpReflector;
import io.vxswitch.bgp.peers.TsharkCapture;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session against a real GoBGP route reflector on loopback: it comes up, the reflector's type-2 route reaches
 * vxswitch with the VNI and communities GoBGP wrote, vxswitch's type-2 and type-3 routes reach GoBGP's RIB as GoBGP
 * decodes them, and a wrong AS is refused with the right NOTIFICATION.
 */
class GobgpSessionTest {
    private static final int ROUTER_ID = Ipv4Address.parse("192.0.2.1");

    @Test
    void routesCrossARealGobgpReflectorBothWays() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        List<Update> updates = new CopyOnWriteArrayList<>();
        try (GobgpReflector reflector = GobgpReflector.start(65000, 65000);
             TsharkCapture capture = TsharkCapture.start(reflector.bgpPort);
             BgpSpeaker speaker = new BgpSpeaker(log::add)) {
            speaker.start();
            InetAddress vtep = InetAddress.getByName("192.0.2.1");
            RouteDistinguisher rd = RouteDistinguisher.ipv4(ROUTER_ID, 2);
            Update ours = Update.of(PathAttributes.builder().origin(PathAttributes.ORIGIN_IGP).asPath(List.of()).localPref(100)
                    .mpReach(MpReach.evpn(vtep, List.of(new InclusiveMulticastRoute(rd, 0, vtep),
                            MacIpRoute.of(rd, MacAddress.parseBits("02:00:00:00:00:01"), InetAddress.getByName("10.0.0.1"), 119))))
                    .extendedCommunity(ExtendedCommunities.encapsulation(ExtendedCommunities.TUNNEL_VXLAN))
                    .extendedCommunity(ExtendedCommunities.routeTarget(65000, 119))
                    .pmsiTunnel(PmsiTunnel.ingressReplication(119, vtep)).build());
            speaker.addNeighbor(config(reflector, 65000), new Recorder(updates) {
                @Override
                public void established(BgpSession s, Open peer) {
                    s.send(ours);
                }
            });

            reflector.await(out -> out.contains("Establ"), Duration.ofSeconds(20), "neighbor");
            String rib = reflector.await(out -> out.contains("type:multicast") && out.contains("type:macadv"),
                    Duration.ofSeconds(10), "global", "rib", "-a", "evpn");
            assertThat(rib).contains("[type:multicast][rd:192.0.2.1:2][etag:0][ip:192.0.2.1]")
                    .contains("[mac:02:00:00:00:00:01][ip:10.0.0.1]").contains("[119]").contains("65000:119")
                    .contains("VXLAN").contains("ingress-repl");

            reflector.gobgp("global", "rib", "-a", "evpn", "add", "macadv", "02:00:00:00:00:03", "10.0.0.3", "etag", "0",
                    "label", "119", "rd", "192.0.2.2:119", "rt", "65000:119", "encap", "vxlan", "nexthop", "192.0.2.2");
            Eventually.within(Duration.ofSeconds(10), "GoBGP's type-2 route reaches vxswitch", () -> routes(updates).stream().anyMatch(r -> r instanceof MacIpRoute));
            Update theirs = updates.stream().filter(u -> u.attributes().mpReach() != null).findFirst().orElseThrow();
            MacIpRoute route = (MacIpRoute) theirs.attributes().mpReach().routes().getFirst();
            assertThat(route.vni()).isEqualTo(119);
            assertThat(MacAddress.of(route.mac())).hasToString("02:00:00:00:00:03");
            assertThat(route.ip()).isEqualTo(InetAddress.getByName("10.0.0.3"));
            assertThat(theirs.attributes().mpReach().nextHop()).isEqualTo(InetAddress.getByName("192.0.2.2"));
            assertThat(theirs.attributes().extendedCommunities().stream().map(ExtendedCommunities::format))
                    .contains("RT:65000:119", "ET:8");

            reflector.gobgp("global", "rib", "-a", "evpn", "del", "macadv", "02:00:00:00:00:03", "10.0.0.3", "etag", "0",
                    "label", "119", "rd", "192.0.2.2:119");
            Eventually.within(Duration.ofSeconds(10), "the withdrawal reaches vxswitch", () -> updates.stream()
                    .anyMatch(u -> u.attributes().mpUnreach() != null && !u.attributes().mpUnreach().routes().isEmpty()));
            speaker.close();

            // tshark, the field's decoder, reads every message both sides sent, ours included, as well-formed BGP
            // (TCP's "Sequence" notes, a retransmission or D-SACK on a loaded loopback, say nothing about BGP: left out)
            assertThat(capture.decode("-Y", "_ws.malformed || _ws.expert.group == \"Malformed\""
                    + " || _ws.expert.group == \"Protocol\"")).isEmpty();
            List<String> ourUpdates = capture.decode("-Y", "ip.src == 127.0.0.1 && bgp.type == 2", "-V");
            assertThat(ourUpdates).anyMatch(l -> l.contains("MAC Address: 02:00:00:00:00:01"))
                    .anyMatch(l -> l.contains("IPv4 address: 10.0.0.1"))
                    .anyMatch(l -> l.contains("Route Target: 65000:119"))
                    .anyMatch(l -> l.contains("Encapsulation: VXLAN Encapsulation"))
                    .anyMatch(l -> l.contains("Tunnel type ingress replication IP end point: 192.0.2.1"));
            List<String> types = capture.decode("-Y", "bgp", "-T", "fields", "-e", "ip.src", "-e", "bgp.type");
            assertThat(types).anyMatch(l -> l.startsWith("127.0.0.1\t1")) // OPEN
                    .anyMatch(l -> l.startsWith("127.0.0.1\t2")) // UPDATE
                    .anyMatch(l -> l.startsWith("127.0.0.1\t3")); // NOTIFICATION: Cease on close
        }
        assertThat(log).noneMatch(l -> l.contains("NOTIFICATION") || l.contains("internal error"));
    }

    @Test
    void aReflectorOfAnotherAsIsRefusedWithBadPeerAs() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        try (GobgpReflector reflector = GobgpReflector.start(65001, 65000);
             BgpSpeaker speaker = new BgpSpeaker(log::add)) {
            speaker.start();
            speaker.addNeighbor(config(reflector, 65000), new Recorder(new CopyOnWriteArrayList<>()));
            Eventually.within(Duration.ofSeconds(10), "vxswitch refuses the wrong AS", () -> log.stream().anyMatch(l -> l.contains("Bad Peer AS")));
            assertThat(log).anyMatch(l -> l.contains("peer says AS 65001, configured remote AS is 65000"));
        }
    }

    private static SessionConfig config(GobgpReflector reflector, long peerAs) throws Exception {
        return SessionConfig.of(65000, ROUTER_ID, InetAddress.getByName(GobgpReflector.ADDRESS), peerAs)
                .withPort(reflector.bgpPort).withLocalAddress(InetAddress.getByName(GobgpReflector.CLIENT))
                .withTimers(Duration.ofSeconds(90), Duration.ofSeconds(30), Duration.ofSeconds(1));
    }

    private static List<EvpnRoute> routes(List<Update> updates) {
        return updates.stream().filter(u -> u.attributes().mpReach() != null)
                .flatMap(u -> u.attributes().mpReach().routes().stream()).toList();
    }

    private static class Recorder implements SessionEvents {
        private final List<Update> updates;

        Recorder(List<Update> updates) {
            this.updates = updates;
        }

        @Override
        public void established(BgpSession s, Open peer) {
        }

        @Override
        public void update(BgpSession s, Update update) {
            updates.add(update);
        }

        @Override
        public void routeRefresh(BgpSession s, RouteRefresh request) {
        }

        @Override
        public void down(BgpSession s, String reason) {
        }
    }
}
