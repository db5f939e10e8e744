package io.vxswitch.lab.topology;

import io.vxswitch.config.Where;
import io.vxswitch.config.Values;
import io.vxswitch.config.ConfigException;

import io.vxswitch.forwarding.PortKind;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.lab.Lab;
import io.vxswitch.lab.LabExample;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyParserTest {
    /** A small valid topology; tests break one line of it at a time. */
    static final String GOOD = """
        hosts:
          - {name: a, mac: "00:00:00:00:00:0a", ip: 10.0.0.1/24}
        vdsHosts:
          - name: esxi
            portGroups:
              - name: vlan119
                vlan: 119
                macLearning: {enabled: true, limitPolicy: drop}
              - {name: uplinks, vlan: {trunk: 1-4094}}
            ports:
              - {name: uplink1, kind: uplink, portGroup: uplinks}
              - {name: a, portGroup: vlan119}
        links:
          - [a, "esxi:a"]
        pings:
          - {from: a, to: 10.0.0.2}
        """;

    private static ConfigException error(String yaml) {
        try {
            TopologyParser.parse("t.yaml", yaml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException for:\n" + yaml);
    }

    private static String errorFor(String from, String to) {
        assertThat(GOOD).contains(from);
        return error(GOOD.replace(from, to)).getMessage();
    }

    @Test
    void the_small_topology_parses_with_defaults_filled_in() {
        Topology t = TopologyParser.parse("t.yaml", GOOD);

        assertThat(t.linkLatencyNanos()).isEqualTo(50_000);
        VdsSpec esxi = t.vds("esxi");
        assertThat(esxi.reversePathCheckPromisc()).isFalse();
        assertThat(esxi.portGroup("vlan119")).isEqualTo(new PortGroupPolicy("vlan119", VlanPolicy.access(119),
            SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.ENABLED));
        assertThat(esxi.portGroup("uplinks").vlan()).isEqualTo(VlanPolicy.trunkAll());
        assertThat(esxi.ports()).extracting(VdsPortSpec::kind).containsExactly(PortKind.UPLINK, PortKind.VNIC);
        assertThat(esxi.ports().get(1).mac()).as("taken from host a at the other end of the link")
            .isEqualTo(MacAddress.parseBits("00:00:00:00:00:0a"));
        assertThat(t.pings()).containsExactly(new PingSpec("a", Ipv4Address.parse("10.0.0.2"), 4, 1_000_000_000L,
            new Where("t.yaml", 16, 12)));
    }

    @Test
    void the_seed_file_describes_the_article() {
        Topology t = TopologyParser.parse("seed.yaml", Lab.seedYaml());

        assertThat(t.hosts()).extracting(HostSpec::name).containsExactly("vm1", "vm2", "workstation", "vm3", "vm4");
        VdsSpec esxi = t.vds("esxi");
        assertThat(esxi.ports()).extracting(VdsPortSpec::name)
            .containsExactly("uplink1", "uplink2", "vm1", "centos-eth0", "vm2", "centos-eth1");
        assertThat(esxi.ports().get(3).mac()).as("the CentOS VM's eth0, from the port at the other end of the link")
            .isEqualTo(MacAddress.parseBits("00:50:56:00:01:07"));
        assertThat(esxi.ports().get(5).mac()).as("its eth1, the underlay NIC").isEqualTo(t.vtepHost("centos7-vm")
            .underlay().mac());
        assertThat(esxi.portGroup("vlan119-vtep")).isEqualTo(PortGroupPolicy.vdsDefault("vlan119-vtep",
            VlanPolicy.access(119)));
        assertThat(t.routers()).extracting(RouterSpec::name).containsExactly("nexus5548", "router");
        VtepHostSpec kvm = t.vtepHost("centos7-kvm");
        assertThat(kvm.udpPort()).isEqualTo(4789);
        assertThat(kvm.vnis()).singleElement().satisfies(v -> {
            assertThat(v.vni()).isEqualTo(119);
            assertThat(v.vlan()).isEqualTo(119);
            assertThat(v.floodList()).containsExactly(Ipv4Address.parse("192.0.2.10"));
        });
        assertThat(kvm.tunnelPort().name()).isEqualTo("vxlan0");
        assertThat(kvm.ports().get(0).mac()).isEqualTo(MacAddress.parseBits("52:54:00:00:00:03"));
        assertThat(t.vtepHost("centos7-vm").ports().getFirst().kind()).as("eth0 is bridged: an uplink of the switch")
            .isEqualTo(PortKind.UPLINK);
        assertThat(t.links()).hasSize(12);
        assertThat(t.links().get(8).latencyNanos()).as("the WAN link").isEqualTo(5_000_000);
        assertThat(t.pings()).extracting(PingSpec::toString)
            .containsExactly("vm1: ping -c 4 10.0.0.3", "workstation: ping -c 4 10.0.0.4");
    }

    @Test
    void the_nested_example_keeps_the_first_half_of_the_story() {
        Topology t = LabExample.NESTED.topology();

        assertThat(t.nestedHypervisors().getFirst().vms()).extracting(HostSpec::name).containsExactly("vm3", "vm4");
        VdsSpec esxi = t.vds("esxi");
        assertThat(esxi.ports()).extracting(VdsPortSpec::name)
            .containsExactly("uplink1", "uplink2", "vm1", "nested", "vm2");
        assertThat(esxi.ports().get(3).mac()).isEqualTo(t.nestedHypervisors().getFirst().mac());
        assertThat(esxi.portGroup("vlan119-nested")).isEqualTo(PortGroupPolicy.vdsDefault("vlan119-nested",
            VlanPolicy.access(119)));
        assertThat(t.routers()).isEmpty();
        assertThat(t.vtepHosts()).isEmpty();
        assertThat(t.links()).hasSize(6);
    }

    @Test
    void a_misspelt_limit_policy_is_reported_at_its_position() {
        assertThat(errorFor("limitPolicy: drop", "limitPolicy: dorp")).isEqualTo(
            "t.yaml:8:51: port group 'vlan119': macLearning.limitPolicy must be drop or allow, got 'dorp'");
    }

    @Test
    void an_unknown_key_lists_the_expected_ones() {
        assertThat(errorFor("macLearning: {enabled: true, limitPolicy: drop}", "security: {forgedTransmit: accept}"))
            .isEqualTo("t.yaml:8:20: port group 'vlan119': security: unknown key 'forgedTransmit' (expected "
                + "allowPromiscuous, macChanges, forgedTransmits)");
        assertThat(errorFor("hosts:", "host:")).isEqualTo("t.yaml:1:1: the topology: unknown key 'host' (expected "
            + "description, linkLatency, hosts, vdsHosts, physicalSwitches, nestedHypervisors, routers, vtepHosts, "
            + "links, pings)");
    }

    @Test
    void values_of_the_wrong_kind_say_what_is_expected() {
        assertThat(errorFor("\"00:00:00:00:00:0a\"", "\"00:00:00:00:0a\"")).isEqualTo(
            "t.yaml:2:20: host 'a': mac must be a MAC address like 00:50:56:00:01:01, got '00:00:00:00:0a'");
        assertThat(errorFor("\"00:00:00:00:00:0a\"", "\"01:00:5e:00:00:01\"")).isEqualTo(
            "t.yaml:2:20: host 'a': mac must be a unicast MAC (the first octet even), got '01:00:5e:00:00:01'");
        assertThat(errorFor("ip: 10.0.0.1/24", "ip: 10.0.0.1")).isEqualTo(
            "t.yaml:2:45: host 'a': ip must be an address with prefix length like 10.0.0.1/24, got '10.0.0.1'");
        assertThat(errorFor("vlan: 119", "vlan: 5000")).isEqualTo(
            "t.yaml:7:15: port group 'vlan119': vlan (none, a VLAN ID, or {trunk: ranges}) must be a whole number "
                + "from 1 to 4094, got '5000'");
        assertThat(errorFor("trunk: 1-4094", "trunk: 1-5000")).startsWith(
            "t.yaml:9:39: port group 'uplinks': vlan.trunk must be VLAN ranges like 1-4094 or 100-199,300: ");
        assertThat(errorFor("enabled: true", "enabled: yes")).isEqualTo(
            "t.yaml:8:32: port group 'vlan119': macLearning.enabled must be true or false, got 'yes'");
        assertThat(errorFor("kind: uplink", "kind: pnic")).isEqualTo(
            "t.yaml:11:31: host switch 'esxi': port 'uplink1': kind must be vnic or uplink, got 'pnic'");
        assertThat(errorFor("to: 10.0.0.2}", "to: 10.0.0.2, interval: 1 parsec}")).isEqualTo(
            "t.yaml:16:39: ping from 'a': interval must be a duration like 50us, 1ms or 1s, got '1 parsec'");
    }

    @Test
    void a_port_group_that_does_not_exist_is_named_with_the_ones_that_do() {
        assertThat(errorFor("{name: a, portGroup: vlan119}", "{name: a, portGroup: vlan120}")).isEqualTo(
            "t.yaml:12:30: host switch 'esxi': port 'a': portGroup must name a port group of this switch "
                + "(vlan119, uplinks), got 'vlan120'");
    }

    @Test
    void link_ends_must_exist_and_take_one_cable() {
        assertThat(errorFor("[a, \"esxi:a\"]", "[a, \"esxi:b\"]")).isEqualTo(
            "t.yaml:14:9: link end 'esxi:b': host switch 'esxi' has no port 'b' (ports: uplink1, a)");
        assertThat(errorFor("[a, \"esxi:a\"]", "[b, \"esxi:a\"]")).isEqualTo(
            "t.yaml:14:6: link end 'b': no host, switch, router or nested hypervisor is named 'b'");
        assertThat(errorFor("[a, \"esxi:a\"]", "[a, esxi]")).isEqualTo(
            "t.yaml:14:9: link end 'esxi': a switch end needs a port, like 'esxi:uplink1' (ports: uplink1, a)");
        assertThat(errorFor("[a, \"esxi:a\"]", "[a, \"esxi:a\"]\n  - [a, \"esxi:uplink1\"]")).isEqualTo(
            "t.yaml:15:6: link end 'a' is already linked at line 14; a NIC or port takes one cable");
        assertThat(errorFor("[a, \"esxi:a\"]", "[a]")).isEqualTo(
            "t.yaml:14:5: a link must list its two ends, like [vm1, esxi:vm1] or {ends: [esxi:uplink1, "
                + "nexus5k:eth1/1], latency: 50us}, got 1 end(s)");
    }

    @Test
    void a_vnic_without_a_mac_needs_a_link_to_take_it_from() {
        assertThat(errorFor("  - [a, \"esxi:a\"]\n", "  - [a, \"esxi:uplink1\"]\n")).isEqualTo(
            "t.yaml:12:9: host switch 'esxi': vNIC port 'a' needs a mac, or a link to the host or nested hypervisor "
                + "whose vNIC it is");
    }

    @Test
    void names_are_unique_across_the_whole_topology() {
        assertThat(errorFor("  - name: esxi\n", "  - name: a\n")).isEqualTo(
            "t.yaml:4:5: name 'a' is already used by the host at line 2; every host, switch and VM needs its own name");
    }

    @Test
    void a_ping_runs_on_a_host() {
        assertThat(errorFor("{from: a,", "{from: esxi,")).isEqualTo(
            "t.yaml:16:12: ping: from must name a host or a VM of a nested hypervisor, got 'esxi' (a host switch)");
    }

    @Test
    void broken_yaml_is_reported_with_its_position() {
        assertThat(errorFor("[a, \"esxi:a\"]", "[a, \"esxi:a\"")).startsWith("t.yaml:15:1: not valid YAML: ");
        assertThat(errorFor("    portGroups:\n", "    portGroups:\n    portGroups:\n")).isEqualTo(
            "t.yaml:6:5: key 'portGroups' appears twice (first at line 5)");
        assertThat(error("").getMessage()).isEqualTo("t.yaml:1:1: the file is empty: expected a topology with hosts, "
            + "vdsHosts, physicalSwitches, nestedHypervisors, routers, vtepHosts, links and pings");
        assertThat(error("- just a list").getMessage()).isEqualTo(
            "t.yaml:1:1: the topology must be a mapping (key: value lines), got a list");
    }

    @Test
    void a_file_is_named_as_given(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("lab.yaml");
        Files.writeString(file, GOOD.replace("limitPolicy: drop", "limitPolicy: dorp"));

        assertThatThrownBy(() -> TopologyParser.read(file)).isInstanceOf(ConfigException.class)
            .hasMessageStartingWith(file + ":8:51: port group 'vlan119'");
        assertThatThrownBy(() -> TopologyParser.read(dir.resolve("missing.yaml")))
            .hasMessage(dir.resolve("missing.yaml") + ": no such file");
    }

    @Test
    void durations_take_a_unit() {
        assertThat(Values.parseDuration("50us")).isEqualTo(50_000);
        assertThat(Values.parseDuration("50µs")).isEqualTo(50_000);
        assertThat(Values.parseDuration("1.5ms")).isEqualTo(1_500_000);
        assertThat(Values.parseDuration("2s")).isEqualTo(2_000_000_000L);
        assertThat(Values.parseDuration("250ns")).isEqualTo(250);
        assertThat(Values.parseDuration("50")).isEqualTo(-1);
        assertThat(Values.parseDuration("-1ms")).isEqualTo(-1);
        assertThat(Values.parseDuration("0.5ns")).isEqualTo(-1);
    }
}
