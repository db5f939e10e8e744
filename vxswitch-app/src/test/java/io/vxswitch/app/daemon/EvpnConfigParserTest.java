package io.vxswitch.app.daemon;

import io.vxswitch.bgp.evpn.ExtendedCommunities;
import io.vxswitch.bgp.evpn.RouteDistinguisher;
import io.vxswitch.config.ConfigException;
import io.vxswitch.packet.Ipv4Address;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The evpn section and a tunnel's controlPlane: what the issue's example means, and each mistake's message. */
class EvpnConfigParserTest {
    static final String EXAMPLE = """
        switch: {name: esxi-a}
        portGroups:
          - {name: vlan119, vlan: 119}
        ports:
          - {name: vm1, type: tap, portGroup: vlan119, mac: "02:00:00:00:00:01"}
        evpn:
          asn: 65000
          routerId: 192.0.2.1
          neighbors:
            - { address: 192.0.2.254, asn: 65000 }
        tunnels:
          - { name: vx119, vni: 119, vlan: 119, local: 192.0.2.1, controlPlane: evpn }
        """;

    private static void assertError(String yaml, String expected) {
        assertThatThrownBy(() -> DaemonConfigParser.parse("s.yaml", yaml))
            .isInstanceOf(ConfigException.class).hasMessageContaining(expected);
    }

    @Test
    void the_issue_example_gives_a_speaker_with_frr_defaults() throws Exception {
        DaemonConfig c = DaemonConfigParser.parse("s.yaml", EXAMPLE);
        EvpnSection e = c.evpn();
        assertThat(e.asn()).isEqualTo(65000);
        assertThat(Ipv4Address.format(e.routerId())).isEqualTo("192.0.2.1");
        assertThat(e.holdTime()).isEqualTo(Duration.ofSeconds(90));
        assertThat(e.keepalive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(e.neighbors()).containsExactly(
            new EvpnSection.Neighbor(InetAddress.getByName("192.0.2.254"), 65000, 179, null));
        TunnelConfig t = c.tunnels().getFirst();
        assertThat(t.evpn()).isEqualTo(TunnelEvpn.AUTO);
        assertThat(t.learning()).as("an EVPN tunnel learns from routes, not frames").isFalse();
    }

    @Test
    void rd_and_route_targets_can_be_set_one_list_for_both_or_import_and_export() {
        TunnelConfig t = DaemonConfigParser.parse("s.yaml", EXAMPLE.replace("controlPlane: evpn }",
            "controlPlane: evpn, rd: 192.0.2.1:7, routeTargets: [65000:1119] }")).tunnels().getFirst();
        assertThat(t.evpn().rd()).isEqualTo(RouteDistinguisher.parse("192.0.2.1:7"));
        assertThat(t.evpn().importTargets()).containsExactly(ExtendedCommunities.routeTarget(65000, 1119));
        assertThat(t.evpn().exportTargets()).isEqualTo(t.evpn().importTargets());
        t = DaemonConfigParser.parse("s.yaml", EXAMPLE.replace("controlPlane: evpn }",
            "controlPlane: evpn, routeTargets: {import: [65000:1, 65000:2], export: [65000:3]} }")).tunnels().getFirst();
        assertThat(t.evpn().importTargets()).hasSize(2);
        assertThat(t.evpn().exportTargets()).containsExactly(ExtendedCommunities.routeTarget(65000, 3));
    }

    @Test
    void the_router_id_defaults_to_the_first_evpn_tunnels_ipv4_address() {
        DaemonConfig c = DaemonConfigParser.parse("s.yaml", EXAMPLE.replace("  routerId: 192.0.2.1\n", ""));
        assertThat(Ipv4Address.format(c.evpn().routerId())).isEqualTo("192.0.2.1");
    }

    @Test
    void timers_neighbor_port_and_source_are_read() throws Exception {
        DaemonConfig c = DaemonConfigParser.parse("s.yaml", EXAMPLE.replace("  asn: 65000\n",
            "  asn: 4200000000\n  holdTime: 9\n  keepalive: 3\n  connectRetry: 2\n").replace(
            "{ address: 192.0.2.254, asn: 65000 }", "{ address: 192.0.2.254, asn: 65000, port: 1179, source: 192.0.2.1 }"));
        assertThat(c.evpn().asn()).isEqualTo(4_200_000_000L);
        assertThat(c.evpn().holdTime()).isEqualTo(Duration.ofSeconds(9));
        assertThat(c.evpn().connectRetry()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.evpn().neighbors().getFirst().port()).isEqualTo(1179);
        assertThat(c.evpn().neighbors().getFirst().source()).isEqualTo(InetAddress.getByName("192.0.2.1"));
    }

    @Test
    void mistakes_name_the_line_and_what_to_do() {
        assertError(EXAMPLE.replace("controlPlane: evpn", "controlPlane: bgp"),
            "s.yaml:12:73: tunnel 'vx119': controlPlane must be static (the flood list is remotes) or evpn");
        assertError(EXAMPLE.replace("  asn: 65000\n", "  asn: 23456\n"), "evpn.asn must be an AS number 1-4294967295");
        assertError(EXAMPLE.replace("  asn: 65000\n", "  asn: 65k\n"), "evpn.asn must be an AS number");
        assertError(EXAMPLE.replace("routerId: 192.0.2.1", "routerId: 2001:db8::1"), "evpn.routerId must be an IPv4 address");
        assertError(EXAMPLE.replace("address: 192.0.2.254", "address: rr1.example"),
            "evpn neighbor: address must be an IP address, got 'rr1.example'");
        assertError(EXAMPLE.replace("  neighbors:\n    - { address: 192.0.2.254, asn: 65000 }\n", "  neighbors: []\n"),
            "evpn.neighbors is empty");
        assertError(EXAMPLE.replace("controlPlane: evpn }", "controlPlane: evpn, routeTargets: [65000] }"),
            "route target '65000' is not ASN:N or ADDRESS:N");
        assertError(EXAMPLE.replace("controlPlane: evpn }", "rd: 192.0.2.1:1 }"), "rd is for controlPlane: evpn");
        assertError(EXAMPLE.replace("  holdTime", "").replace("  asn: 65000\n", "  asn: 65000\n  holdTime: 2\n"),
            "evpn.holdTime must be 0 (no keepalives) or at least 3");
        assertError(EXAMPLE.replace("  asn: 65000\n", "  asn: 65000\n  color: blue\n"), "color");
    }

    @Test
    void an_evpn_tunnel_needs_the_section_and_the_section_needs_an_evpn_tunnel() {
        String noSection = EXAMPLE.substring(0, EXAMPLE.indexOf("evpn:")) + EXAMPLE.substring(EXAMPLE.indexOf("tunnels:"));
        assertError(noSection, "tunnel 'vx119' has controlPlane: evpn, but the config has no evpn section");
        assertError(EXAMPLE.replace(", controlPlane: evpn", ""), "evpn: no tunnel has controlPlane: evpn");
    }

    @Test
    void static_remotes_and_evpn_may_coexist() {
        TunnelConfig t = DaemonConfigParser.parse("s.yaml", EXAMPLE.replace("controlPlane: evpn }",
            "controlPlane: evpn, remotes: [192.0.2.9] }")).tunnels().getFirst();
        assertThat(t.remotes()).hasSize(1);
        assertThat(t.evpn()).isNotNull();
    }

    @Test
    void a_static_tunnel_still_learns_by_default() {
        String yaml = DaemonConfigParserTest.GOOD;
        assertThat(DaemonConfigParser.parse("s.yaml", yaml).tunnels().getFirst().learning()).isTrue();
        assertThat(DaemonConfigParser.parse("s.yaml", yaml).evpn()).isNull();
    }
}
