package io.vxswitch.lab.topology;

import io.vxswitch.config.ConfigException;

import io.vxswitch.lab.Lab;
import io.vxswitch.packet.Ipv4Address;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Routers and VTEP hosts in topology files: what is read, and every mistake reported at its position. */
class RoutedTopologyTest {
    /** Two VTEP hosts across a router; tests break one line at a time. */
    static final String GOOD = """
        hosts:
          - {name: a, mac: "02:00:00:00:00:0a", ip: 10.9.0.1/24}
          - {name: b, mac: "02:00:00:00:00:0b", ip: 10.9.0.2/24}
        routers:
          - name: r
            interfaces:
              - {name: left, mac: "02:00:00:00:0f:01", ip: 192.168.1.1/24}
              - {name: right, mac: "02:00:00:00:0f:02", ip: 192.168.2.1/24}
            routes:
              - {to: 172.16.0.0/12, via: 192.168.2.254}
        vtepHosts:
          - name: h1
            underlay: {nic: eth9, mac: "02:00:00:00:01:01", ip: 192.168.1.10/24, gateway: 192.168.1.1}
            vxlan: {vnis: [{vni: 5000, vlan: 10, floodList: [192.168.2.10]}]}
            portGroups:
              - {name: vms, vlan: 10}
              - {name: vx, vlan: 10, macLearning: {enabled: true}}
            ports:
              - {name: a, portGroup: vms}
              - {name: vx0, kind: tunnel, portGroup: vx}
          - name: h2
            underlay: {nic: eth9, mac: "02:00:00:00:01:02", ip: 192.168.2.10/24, gateway: 192.168.2.1, mtu: 9000}
            vxlan: {udpPort: 4789, vnis: [{vni: 5000, vlan: 10, floodList: [192.168.1.10]}]}
            portGroups:
              - {name: vms, vlan: 10}
              - {name: vx, vlan: 10, macLearning: {enabled: true}}
            ports:
              - {name: b, portGroup: vms}
              - {name: vx0, kind: tunnel, portGroup: vx}
        links:
          - [a, "h1:a"]
          - ["h1:eth9", "r:left"]
          - ["r:right", "h2:eth9"]
          - [b, "h2:b"]
        pings:
          - {from: a, to: 10.9.0.2, count: 2}
        """;

    private static String errorFor(String from, String to) {
        assertThat(GOOD).contains(from);
        try {
            Lab.run(TopologyParser.parse("t.yaml", GOOD.replace(from, to)));
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException after replacing " + from + " with " + to);
    }

    @Test
    void routers_and_vtep_hosts_are_read_with_defaults_filled_in() {
        Topology t = TopologyParser.parse("t.yaml", GOOD);

        RouterSpec r = t.routers().getFirst();
        assertThat(r.interfaces()).extracting(RouterSpec.Interface::name).containsExactly("left", "right");
        assertThat(r.routes()).singleElement().satisfies(route -> {
            assertThat(route.network()).isEqualTo(Ipv4Address.parse("172.16.0.0"));
            assertThat(route.prefixLength()).isEqualTo(12);
            assertThat(route.via()).isEqualTo(Ipv4Address.parse("192.168.2.254"));
        });
        VtepHostSpec h1 = t.vtepHost("h1");
        assertThat(h1.udpPort()).as("IANA's port unless set").isEqualTo(4789);
        assertThat(h1.underlay().mtu()).isEqualTo(1500);
        assertThat(h1.underlay().gateway()).isEqualTo(Ipv4Address.parse("192.168.1.1"));
        assertThat(t.vtepHost("h2").underlay().mtu()).isEqualTo(9000);
        assertThat(h1.ports().getFirst().mac()).as("from host a").isEqualTo(0x02000000000aL);
    }

    @Test
    void a_vtep_host_needs_exactly_one_tunnel_port() {
        assertThat(errorFor("""
                  - {name: a, portGroup: vms}
                  - {name: vx0, kind: tunnel, portGroup: vx}
            """, """
                  - {name: a, portGroup: vms}
            """)).isEqualTo("t.yaml:18:5: VTEP host 'h1': needs exactly one port of kind tunnel (the switch side of "
            + "its VTEP), has 0");
    }

    @Test
    void port_kinds_of_a_vtep_host_are_listed_when_misspelt() {
        assertThat(errorFor("{name: vx0, kind: tunnel, portGroup: vx}\n  - name: h2",
            "{name: vx0, kind: vxlan, portGroup: vx}\n  - name: h2")).isEqualTo(
            "t.yaml:20:27: VTEP host 'h1': port 'vx0': kind must be vnic, interface or tunnel, got 'vxlan'");
    }

    @Test
    void the_gateway_must_be_on_the_underlay_subnet() {
        assertThat(errorFor("gateway: 192.168.1.1}", "gateway: 192.168.3.1}")).isEqualTo(
            "t.yaml:13:83: VTEP host 'h1': underlay.gateway 192.168.3.1 must be another address in the NIC's subnet "
                + "192.168.1.0/24");
    }

    @Test
    void a_flood_list_names_remote_vteps() {
        assertThat(errorFor("floodList: [192.168.2.10]", "floodList: [192.168.1.10]")).isEqualTo(
            "t.yaml:14:54: VTEP host 'h1': VNI 5000: floodList entry 192.168.1.10 must be a remote VTEP's unicast "
                + "address, not this host's own or a group address");
    }

    @Test
    void the_tunnel_port_must_carry_the_vlan_of_each_vni() {
        assertThat(errorFor("{name: vx, vlan: 10, macLearning: {enabled: true}}\n    ports:\n      - {name: a,",
            "{name: vx, vlan: 11, macLearning: {enabled: true}}\n    ports:\n      - {name: a,")).isEqualTo(
            "t.yaml:12:5: VTEP host 'h1': VNI 5000 maps to VLAN 10, which the port group 'vx' of tunnel port 'vx0' "
                + "does not carry (vlan 11)");
    }

    @Test
    void a_route_goes_via_a_neighbour_on_a_connected_subnet() {
        assertThat(errorFor("via: 192.168.2.254}", "via: 10.0.0.1}")).isEqualTo(
            "t.yaml:10:9: router 'r': next hop 10.0.0.1 of the route to 172.16.0.0/12 is in none of its subnets "
                + "(192.168.1.1/24, 192.168.2.1/24)");
        assertThat(errorFor("to: 172.16.0.0/12", "to: 172.16.0.1/12")).isEqualTo(
            "t.yaml:10:9: router 'r': route to 172.16.0.1/12 has host bits set; did you mean 172.16.0.0/12?");
    }

    @Test
    void router_interfaces_may_not_overlap() {
        assertThat(errorFor("ip: 192.168.2.1/24}", "ip: 192.168.1.2/24}")).isEqualTo(
            "t.yaml:8:9: router 'r': interface right (192.168.1.2/24) overlaps interface left (192.168.1.1/24)");
    }

    @Test
    void link_ends_name_router_interfaces_and_vtep_host_nics() {
        assertThat(errorFor("[\"h1:eth9\", \"r:left\"]", "[\"h1:eth9\", \"r:lft\"]")).isEqualTo(
            "t.yaml:32:17: link end 'r:lft': router 'r' has no interface 'lft' (interfaces: left, right)");
        assertThat(errorFor("[\"h1:eth9\", \"r:left\"]", "[\"h1:vx0\", \"r:left\"]")).isEqualTo(
            "t.yaml:32:6: link end 'h1:vx0': VTEP host 'h1' has no port 'vx0' (ports: a, eth9)");
        assertThat(errorFor("[\"h1:eth9\", \"r:left\"]", "[\"h1:eth9\", r]")).isEqualTo(
            "t.yaml:32:17: link end 'r': a router end needs an interface, like 'r:left' (interfaces: left, right)");
    }

    @Test
    void a_vni_carries_one_vlan() {
        assertThat(errorFor("vnis: [{vni: 5000, vlan: 10, floodList: [192.168.2.10]}]",
            "vnis: [{vni: 5000, vlan: 10, floodList: [192.168.2.10]}, {vni: 5001, vlan: 10}]")).isEqualTo(
            "t.yaml:14:70: VTEP host 'h1': VNI 5001: VLAN 10 is already carried by VNI 5000 (a VNI carries exactly "
                + "one VLAN)");
    }

    @Test
    void errors_in_the_running_network_name_the_node() {
        assertThatThrownBy(() -> Lab.run(TopologyParser.parse("t.yaml", GOOD.replace("vni: 5000, vlan: 10, floodList: "
            + "[192.168.2.10]", "vni: 16777216, vlan: 10")))).isInstanceOf(ConfigException.class)
            .hasMessage("t.yaml:14:26: VTEP host 'h1': vni must be a whole number from 1 to 16777215, got '16777216'");
    }
}
