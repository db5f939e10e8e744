package io.vxswitch.bgp.message;

import io.vxswitch.bgp.evpn.EthernetSegment;
import io.vxswitch.bgp.evpn.ExtendedCommunities;
import io.vxswitch.bgp.evpn.InclusiveMulticastRoute;
import io.vxswitch.bgp.evpn.MacIpRoute;
import io.vxswitch.bgp.evpn.RouteDistinguisher;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The codec reads what FRR and GoBGP really sent, field by field as tshark decodes it, and writes it back. */
class CapturedMessagesTest {
    private static final MessageCodec CODEC = MessageCodec.FOUR_OCTET_AS;

    @Test
    void frrOpenOffersEvpnRouteRefreshAndFourOctetAs() {
        Open open = (Open) CODEC.decode(CapturedSession.message("frr-open-1"));
        assertThat(open.asn()).isEqualTo(65000);
        assertThat(open.holdTime()).isEqualTo(180);
        assertThat(Ipv4Address.format(open.bgpIdentifier())).isEqualTo("192.0.2.1");
        assertThat(open.supports(AddressFamily.L2VPN_EVPN)).isTrue();
        assertThat(open.has(Capability.ROUTE_REFRESH)).isTrue();
        assertThat(open.has(Capability.FOUR_OCTET_AS)).isTrue();
        assertThat(open.capabilities()).hasSize(10); // incl. Cisco's refresh, extended message, add-path, FQDN, GR, LLGR
    }

    @Test
    void frrOpenIsWrittenBackByteForByte() {
        byte[] captured = CapturedSession.message("frr-open-1");
        assertThat(CODEC.encode(CODEC.decode(captured))).isEqualTo(captured);
    }

    @Test
    void gobgpOpenPacksCapabilitiesIntoOneParameterAndStillReads() {
        Open open = (Open) CODEC.decode(CapturedSession.message("gobgp-open-1"));
        assertThat(open.holdTime()).isEqualTo(90);
        assertThat(open.supports(AddressFamily.L2VPN_EVPN)).isTrue();
        assertThat(open.asn()).isEqualTo(65000);
    }

    @Test
    void keepaliveIsTheHeaderAlone() {
        byte[] captured = CapturedSession.message("frr-keepalive-1");
        assertThat(CODEC.decode(captured)).isEqualTo(Keepalive.INSTANCE);
        assertThat(CODEC.encode(Keepalive.INSTANCE)).isEqualTo(captured);
    }

    @Test
    void frrMacRouteCarriesTheVniInAllTwentyFourLabelBits() throws Exception {
        Update u = (Update) CODEC.decode(CapturedSession.message("frr-update-1"));
        PathAttributes a = u.attributes();
        assertThat(a.origin()).isEqualTo(PathAttributes.ORIGIN_IGP);
        assertThat(a.asPath()).isEmpty();
        assertThat(a.localPref()).isEqualTo(100);
        assertThat(a.mpReach().nextHop()).isEqualTo(InetAddress.getByName("192.0.2.1"));
        assertThat(a.mpReach().routes()).containsExactly(new MacIpRoute(RouteDistinguisher.parse("192.0.2.1:2"),
                EthernetSegment.SINGLE_HOMED, 0, MacAddress.parseBits("02:00:00:00:00:01"), null, 119, -1));
        assertThat(a.extendedCommunities()).containsExactly(ExtendedCommunities.encapsulation(8),
                ExtendedCommunities.routeTarget(65000, 119));
        assertThat(a.extendedCommunities().stream().map(ExtendedCommunities::format)).containsExactly("ET:8", "RT:65000:119");
    }

    @Test
    void frrInclusiveMulticastRouteAsksForIngressReplication() throws Exception {
        Update u = (Update) CODEC.decode(CapturedSession.message("frr-update-2"));
        InetAddress vtep = InetAddress.getByName("192.0.2.1");
        assertThat(u.attributes().mpReach().routes()).containsExactly(
                new InclusiveMulticastRoute(RouteDistinguisher.parse("192.0.2.1:2"), 0, vtep));
        assertThat(u.attributes().pmsiTunnel()).isEqualTo(PmsiTunnel.ingressReplication(119, vtep));
    }

    @Test
    void gobgpMacIpRouteBindsTheIpv4Address() throws Exception {
        Update u = (Update) CODEC.decode(CapturedSession.message("gobgp-update-2"));
        MacIpRoute r = (MacIpRoute) u.attributes().mpReach().routes().getFirst();
        assertThat(r.rd()).hasToString("192.0.2.2:119");
        assertThat(MacAddress.of(r.mac())).hasToString("02:00:00:00:00:03");
        assertThat(r.ip()).isEqualTo(InetAddress.getByName("10.0.0.3"));
        assertThat(r.vni()).isEqualTo(119);
        assertThat(r).hasToString("[2]:[0]:[48]:[02:00:00:00:00:03]:[32]:[10.0.0.3] rd 192.0.2.2:119 label 119");
    }

    @Test
    void everyCapturedMessageSurvivesAWriteAndARead() {
        for (Map.Entry<String, byte[]> e : CapturedSession.MESSAGES.entrySet()) {
            BgpMessage m = CODEC.decode(e.getValue());
            assertThat(CODEC.decode(CODEC.encode(m))).as(e.getKey()).isEqualTo(m);
        }
    }

    @Test
    void frrUpdatesComeBackFourBytesLongerForTheTwoByteAttributeLengthsVxswitchWrites() {
        // FRR writes MP_REACH first like vxswitch (RFC 7606 §5.1) but one-byte lengths where they fit; vxswitch always
        // writes two-byte lengths (RFC 4271 §4.3 allows both), so the re-encoding differs in those bytes only.
        Update u = (Update) CODEC.decode(CapturedSession.message("frr-update-2"));
        byte[] ours = CODEC.encode(u);
        assertThat(ours.length).isEqualTo(CapturedSession.message("frr-update-2").length + 4); // four attributes grew a byte
    }
}
