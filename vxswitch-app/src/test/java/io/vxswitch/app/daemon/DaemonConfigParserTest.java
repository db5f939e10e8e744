package io.vxswitch.app.daemon;

import io.vxswitch.linux.dataplane.TapReadMode;
import io.vxswitch.ipfix.IpfixOptions;
import io.vxswitch.config.ConfigException;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.PortKind;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.linux.vhost.VhostUserEndpoint;
import io.vxswitch.vxlan.AcceptFrom;
import io.vxswitch.vxlan.VtepAddress;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DaemonConfigParserTest {
    static final String GOOD = """
        switch: {name: esxi-a}
        portGroups:
          - name: vlan119
            vlan: 119
            security: {allowPromiscuous: false, macChanges: reject, forgedTransmits: accept}
            macLearning: {enabled: true, allowUnicastFlooding: true, limit: 4096, limitPolicy: drop, agingSeconds: 300}
          - {name: trunk-all, vlan: {trunk: 1-4094}}
        ports:
          - { name: vm1, type: tap, portGroup: vlan119 }
          - { name: vm2, type: tap, portGroup: vlan119, mac: "02:00:00:00:00:02", mtu: 1450 }
          - { name: up0, type: interface, interface: veth-up, portGroup: trunk-all }
        tunnels:
          - { name: vx119, vni: 119, vlan: 119, local: 192.0.2.1, remotes: [192.0.2.2], port: 4789 }
        """;

    @Test
    void the_issue_example_parses_into_ports_tunnels_and_policies() {
        DaemonConfig c = DaemonConfigParser.parse("switch.yaml", GOOD);
        assertThat(c.name()).isEqualTo("esxi-a");
        assertThat(c.portGroups()).hasSize(2);
        assertThat(c.portGroups().get(0).macLearning()).isEqualTo(MacLearningPolicy.ENABLED);
        assertThat(c.ports()).extracting(PortConfig::kind)
            .containsExactly(PortKind.VNIC, PortKind.VNIC, PortKind.UPLINK);
        assertThat(c.ports().get(0).mac()).isEqualTo(Port.NO_MAC);
        assertThat(c.ports().get(1).mtu()).isEqualTo(1450);
        TunnelConfig t = c.tunnels().getFirst();
        assertThat(t.remotes()).isEqualTo(List.of(VtepAddress.parse("192.0.2.2")));
        assertThat(t.learning()).isTrue();
        assertThat(t.underlayMtu()).isEqualTo(1500);
        assertThat(t.acceptFrom()).as("by default a tunnel takes VXLAN from its known VTEPs only")
            .isEqualTo(AcceptFrom.KNOWN);
    }

    @Test
    void a_tunnel_takes_vxlan_from_any_sender_only_when_it_says_so() {
        assertThat(DaemonConfigParser.parse("s.yaml", GOOD.replace("port: 4789 }", "port: 4789, acceptFrom: any }"))
            .tunnels().getFirst().acceptFrom()).isEqualTo(AcceptFrom.ANY);
        assertError(GOOD.replace("port: 4789 }", "port: 4789, acceptFrom: all }"),
            "s.yaml:13:105: tunnel 'vx119': acceptFrom must be known (VTEPs in the flood list or from the control "
                + "plane) or any (every sender, learned from traffic), got 'all'");
    }

    @Test
    void a_port_groups_shaping_block_is_read_and_its_mistakes_are_refused_at_their_line() {
        String shaped = GOOD.replace("agingSeconds: 300}", "agingSeconds: 300}\n    shaping:\n"
            + "      ingress: {average: 50mbit, peak: 100mbit, burst: 64k}\n      egress: {average: 1gbit}");
        var shaping = DaemonConfigParser.parse("s.yaml", shaped).portGroups().getFirst().shaping();
        assertThat(shaping.ingress())
            .isEqualTo(new io.vxswitch.forwarding.policy.TrafficShapingPolicy(50_000_000, 100_000_000, 65_536));
        assertThat(shaping.egress().averageBandwidth()).isEqualTo(1_000_000_000L);
        assertError(shaped.replace("peak: 100mbit", "peak: 10mbit"), "s.yaml:8:40: port group 'vlan119':"
            + " shaping.ingress.peak (10mbit) must be at least the average (50mbit) and at most 1tbit: write peak:"
            + " 50mbit or more, or leave it out (it is then the average)");
    }

    @Test
    void an_ipfix_block_is_read_with_its_defaults_and_its_mistakes_are_refused_at_their_line() {
        assertThat(DaemonConfigParser.parse("s.yaml", GOOD).ipfix()).as("no block, no export").isNull();
        String ipfix = GOOD + """
            ipfix:
              collectors: [192.0.2.2:4739, "[2001:db8::2]:9995", 198.51.100.7]
              observationDomain: 4294967295
              sampling: 100
              idleTimeout: 10s
            """;
        IpfixOptions o = DaemonConfigParser.parse("s.yaml", ipfix).ipfix();
        assertThat(o.collectors()).extracting(c -> c.getAddress().getHostAddress() + " " + c.getPort())
            .containsExactly("192.0.2.2 4739", "2001:db8:0:0:0:0:0:2 9995", "198.51.100.7 4739");
        assertThat(o.observationDomain()).isEqualTo(4294967295L);
        assertThat(o.sampling()).isEqualTo(100);
        assertThat(o.idleTimeout()).isEqualTo(10 * IpfixOptions.SECOND);
        assertThat(o.activeTimeout()).isEqualTo(IpfixOptions.DEFAULT_ACTIVE_TIMEOUT);
        assertThat(o.cacheEntries()).isEqualTo(IpfixOptions.DEFAULT_CACHE_ENTRIES);
        assertThat(o.templateRefresh()).isEqualTo(IpfixOptions.DEFAULT_TEMPLATE_REFRESH);

        assertError(ipfix.replace("198.51.100.7]", "collector.example]"), "s.yaml:15:54: ipfix.collectors:"
            + " 'collector.example' is not ADDRESS[:PORT] with an IP address, like 192.0.2.2:4739");
        assertError(ipfix.replace("192.0.2.2:4739", "192.0.2.2:0"), "s.yaml:15:16: ipfix.collectors: the port of"
            + " '192.0.2.2:0' must be 1 to 65535");
        assertError(ipfix.replace("sampling: 100", "sampling: 0"), "s.yaml:17:13: ipfix.sampling (one frame in N)"
            + " must be a whole number from 1 to 16777216, got '0'");
        assertError(ipfix.replace("idleTimeout: 10s", "idleTimeout: 90s"), "s.yaml:18:16: ipfix.idleTimeout (90 s) is"
            + " longer than activeTimeout (60 s)");
        assertError(ipfix.replace("idleTimeout: 10s", "activeTimeout: 5s"), "s.yaml:18:18: ipfix.idleTimeout (15 s) is"
            + " longer than activeTimeout (5 s)");
        assertError(ipfix.replace("idleTimeout: 10s", "idleTimeout: 1500ms"), "ipfix.idleTimeout must be whole"
            + " seconds from 1s to 86400s, like 60s, got '1500ms'");
        assertError(ipfix.replace("observationDomain: 4294967295", "observationDomain: 4294967296"),
            "s.yaml:16:22: ipfix.observationDomain must be a whole number from 0 to 4294967295");
        assertError(ipfix.replace("sampling: 100", "sampling: 100\n  cache: 5"), "ipfix: unknown key 'cache'");
        assertError(GOOD + "ipfix: {collectors: []}\n", "ipfix.collectors is empty: name at least one collector,"
            + " or remove the ipfix block");
        assertError(GOOD + "ipfix: {sampling: 2}\n", "ipfix (where flows go, like collectors: [192.0.2.2:4739]): missing"
            + " 'collectors'");
    }

    private static void assertError(String yaml, String expected) {
        assertThatThrownBy(() -> DaemonConfigParser.parse("s.yaml", yaml))
            .isInstanceOf(ConfigException.class).hasMessageContaining(expected);
    }

    @Test
    void errors_name_the_line_column_and_what_is_expected() {
        assertError(GOOD.replace("portGroup: trunk-all }", "portGroup: trunk }"),
            "s.yaml:11:66: port 'up0': no port group 'trunk' (defined: vlan119, trunk-all)");
        assertError(GOOD.replace("type: tap, portGroup: vlan119 }", "type: tun, portGroup: vlan119 }"),
            "port 'vm1': type must be tap (vxswitch creates a TAP device), interface (an existing interface) or vhostuser"
                + " (a VM's virtio-net NIC on a vhost-user socket), got 'tun'");
        assertError(GOOD.replace("limitPolicy: drop", "limitPolicy: dorp"), "limitPolicy must be drop or allow");
        assertError(GOOD.replace("vni: 119", "vni: 16777216"), "vni");
        assertError(GOOD.replace("remotes: [192.0.2.2]", "remotes: [2001:db8::2]"), "not of the local address's family");
        assertError(GOOD.replace("name: vm2", "name: vm1"), "port name 'vm1' is already used at s.yaml:9");
        assertError(GOOD.replace("switch: {name: esxi-a}", "switch: {name: esxi-a, colour: red}"),
            "switch: unknown key 'colour'");
        assertError("", "the file is empty");
        assertError("switch: [", "not valid YAML");
    }

    @Test
    void a_vnic_without_a_mac_needs_a_port_group_that_accepts_forged_transmits() {
        assertError(GOOD.replace("forgedTransmits: accept", "forgedTransmits: reject"),
            "port 'vm1': give the MAC of the VM behind this vNIC port");
    }

    @Test
    void a_receive_ring_is_for_interface_ports_and_off_unless_asked() {
        assertThat(DaemonConfigParser.parse("s.yaml", GOOD).ports()).extracting(PortConfig::ring)
            .containsExactly(false, false, false);
        DaemonConfig ring = DaemonConfigParser.parse("s.yaml",
            GOOD.replace("portGroup: trunk-all }", "portGroup: trunk-all, ring: true }"));
        assertThat(ring.ports().get(2).ring()).isTrue();
        assertError(GOOD.replace("portGroup: vlan119 }", "portGroup: vlan119, ring: true }"),
            "port 'vm1': ring is for interface ports (a TPACKET_V3 receive ring on the packet socket)");
        assertError(GOOD.replace("portGroup: trunk-all }", "portGroup: trunk-all, ring: yes-please }"), "ring");
    }

    @Test
    void a_vhostuser_port_is_a_vnic_on_a_socket_vxswitch_creates_unless_told_qemu_does() {
        String yaml = GOOD.replace("- { name: vm1, type: tap, portGroup: vlan119 }",
            "- { name: vm1, type: vhostuser, socket: /run/vxswitch/vm1.sock, portGroup: vlan119 }\n"
                + "  - { name: vm3, type: vhostuser, socket: /run/vxswitch/vm3.sock, mode: client, offload: false,"
                + " portGroup: vlan119 }");
        DaemonConfig c = DaemonConfigParser.parse("s.yaml", yaml);
        PortConfig vm1 = c.ports().get(0);
        assertThat(vm1.type()).isEqualTo(PortConfig.Type.VHOSTUSER);
        assertThat(vm1.kind()).isEqualTo(PortKind.VNIC);
        assertThat(vm1.socket()).isEqualTo("/run/vxswitch/vm1.sock");
        assertThat(vm1.vhostMode()).isEqualTo(VhostUserEndpoint.Mode.SERVER);
        assertThat(vm1.offload()).as("offloads offered by default, as on a tap").isTrue();
        PortConfig vm3 = c.ports().get(1);
        assertThat(vm3.vhostMode()).isEqualTo(VhostUserEndpoint.Mode.CLIENT);
        assertThat(vm3.offload()).isFalse();

        assertError(yaml.replace("socket: /run/vxswitch/vm1.sock", "socket: vm1.sock"),
            "port 'vm1': socket must be an absolute path of at most 107 bytes");
        assertError(yaml.replace("mode: client", "mode: listen"), "port 'vm3': mode must be server (vxswitch creates"
            + " the socket) or client");
        assertError(yaml.replace("/run/vxswitch/vm3.sock", "/run/vxswitch/vm1.sock"),
            "port 'vm3': socket /run/vxswitch/vm1.sock is already the socket of the port at");
        assertError(yaml.replace("mtu: 1450", "mtu: 1450, socket: /tmp/x.sock"), "port 'vm2': socket is for type"
            + " vhostuser");
        assertError(yaml.replace(", portGroup: vlan119 }\n", ", mtu: 1400, portGroup: vlan119 }\n"),
            "port 'vm1': mtu is set on taps vxswitch creates; set a VM's MTU inside the VM");
        PortConfig shared = DaemonConfigParser.parse("s.yaml", yaml.replace("/vm1.sock,", "/vm1.sock, socketGroup: kvm,"))
            .ports().get(0);
        assertThat(shared.socketGroup()).as("for QEMU under libvirt, which runs in group kvm").isEqualTo("kvm");
        assertThat(vm1.socketGroup()).isNull();
        assertError(yaml.replace("mode: client,", "mode: client, socketGroup: kvm,"),
            "port 'vm3': socketGroup is for mode server (vxswitch creates the socket)");
        assertError(yaml.replace("/vm1.sock,", "/vm1.sock, socketGroup: 'kvm;rm',"),
            "port 'vm1': socketGroup must be a group name like kvm or libvirt-qemu, got 'kvm;rm'");
        assertError(yaml.replace("mtu: 1450", "mtu: 1450, socketGroup: kvm"), "port 'vm2': socketGroup is for type"
            + " vhostuser");
        assertThat(DaemonConfigParser.parse("s.yaml", yaml.replace("switch: {name: esxi-a}",
            "switch: {name: esxi-a, loops: 2}")).ports()).as("a queue pair per loop").hasSize(4);
    }

    @Test
    void linux_interface_names_are_checked() {
        assertError(GOOD.replace("name: vm1,", "name: a-very-long-tap-name,"), "not a Linux interface name");
    }

    @Test
    void the_switch_loop_takes_an_online_cpu_and_busy_polls_only_on_a_cpu_of_its_own() {
        assertThat(DaemonConfigParser.parse("s.yaml", GOOD).placement()).isEqualTo(LoopPlacement.DEFAULT);
        assertThat(DaemonConfigParser.parse("s.yaml", GOOD.replace("switch: {name: esxi-a}",
            "switch: {name: esxi-a, cpu: 1, poll: busy}")).placement())
            .isEqualTo(new LoopPlacement(1, true, LoopPlacement.DEFAULT_TAP_READS));
        assertError(GOOD.replace("switch: {name: esxi-a}", "switch: {name: esxi-a, cpu: 1000}"),
            "switch.cpu: CPU 1000 is not online here");
        assertError(GOOD.replace("switch: {name: esxi-a}", "switch: {name: esxi-a, poll: busy}"),
            "switch.poll: busy needs switch.cpu");
        assertError(GOOD.replace("switch: {name: esxi-a}", "switch: {name: esxi-a, cpu: 1, poll: spin}"),
            "switch.poll must be wait or busy, got");
    }

    @Test
    void taps_are_read_through_io_uring_where_the_kernel_can_unless_the_config_says_how() {
        assertThat(LoopPlacement.DEFAULT.tapReads()).isEqualTo(TapReadMode.AUTO);
        assertThat(DaemonConfigParser.parse("s.yaml", GOOD.replace("switch: {name: esxi-a}",
            "switch: {name: esxi-a, tapReads: auto}")).placement().tapReads()).isEqualTo(TapReadMode.AUTO);
        assertThat(DaemonConfigParser.parse("s.yaml", GOOD.replace("switch: {name: esxi-a}",
            "switch: {name: esxi-a, tapReads: read}")).placement().tapReads()).isEqualTo(TapReadMode.READ);
        assertThat(DaemonConfigParser.parse("s.yaml", GOOD.replace("switch: {name: esxi-a}",
            "switch: {name: esxi-a, tapReads: io_uring}")).placement().tapReads()).isEqualTo(TapReadMode.RING);
        assertError(GOOD.replace("switch: {name: esxi-a}", "switch: {name: esxi-a, tapReads: uring}"),
            "switch.tapReads must be auto, io_uring or read, got");
    }

    @Test
    void several_loops_transmit_themselves_read_every_kind_of_port_and_are_placed_by_the_kernel() {
        String noInterface = GOOD;
        assertThat(DaemonConfigParser.parse("s.yaml", GOOD).loops()).isOne();
        DaemonConfig two = DaemonConfigParser.parse("s.yaml", GOOD.replace("switch: {name: esxi-a}",
            "switch: {name: esxi-a, loops: 2}"));
        assertThat(two.loops()).isEqualTo(2);
        assertThat(two.threads()).as("each loop sends its own").isEqualTo(io.vxswitch.linux.dataplane.Dataplane.Threads.ONE);
        assertThat(two.ports()).as("interface ports too: a socket per loop in a fanout group")
            .anyMatch(p -> p.type() == PortConfig.Type.INTERFACE);
        assertError(noInterface.replace("switch: {name: esxi-a}", "switch: {name: esxi-a, loops: 2, threads: 2}"),
            "switch.threads: 2 gives the one switch loop a sender thread; with switch.loops: 2 each loop transmits"
                + " itself (remove switch.threads)");
        assertError(noInterface.replace("switch: {name: esxi-a}", "switch: {name: esxi-a, loops: 2, cpu: 1}"),
            "switch.cpu pins the one switch loop; with switch.loops: 2 the kernel places the loops");
        assertError(GOOD.replace("switch: {name: esxi-a}", "switch: {name: esxi-a, loops: 0}"), "switch.loops");
    }

    @Test
    void a_switch_without_ports_waits_for_ports_added_through_the_api_and_without_the_api_is_refused() {
        DaemonConfig empty = DaemonConfigParser.parse("s.yaml", "switch: {name: x}\nportGroups: [{name: vms}]\n");
        assertThat(empty.ports()).isEmpty();
        assertThat(empty.api()).isNotNull();
        assertError("switch: {name: x}\napi: off\n", "s.yaml:1:1: the config has no ports and no tunnels, and api: off:"
            + " nothing could add a port at run time; give the switch a port, or the API for 'vxswitch ports add'");
    }

    @Test
    void the_packaged_default_config_parses_into_a_switch_that_waits_for_ports() throws Exception {
        // packaging/vxswitch.yaml, installed as /etc/vxswitch/vxswitch.yaml: it must start on any host
        DaemonConfig c = DaemonConfigParser.read(Path.of("../packaging/vxswitch.yaml"));
        assertThat(c.ports()).isEmpty();
        assertThat(c.tunnels()).isEmpty();
        assertThat(c.portGroups()).isNotEmpty();
        assertThat(c.api().host()).isEqualTo("127.0.0.1");
        assertThat(c.api().tokenFile()).isEqualTo(Path.of("/run/vxswitch/api.token"));
    }

    @Test
    void the_api_listens_on_loopback_by_default_and_can_be_moved_or_turned_off() {
        DaemonConfig c = DaemonConfigParser.parse("s.yaml", GOOD);
        assertThat(c.api().host()).isEqualTo("127.0.0.1");
        assertThat(c.api().port()).isEqualTo(7739);
        assertThat(c.api().token()).isNull();
        assertThat(DaemonConfigParser.parse("s.yaml", GOOD + "api: off\n").api()).isNull();
        DaemonConfig moved = DaemonConfigParser.parse("s.yaml", GOOD
            + "api: {listen: \"[::1]:8000\", tokenFile: /tmp/t}\n");
        assertThat(moved.api().host()).isEqualTo("::1");
        assertThat(moved.api().port()).isEqualTo(8000);
        assertThat(moved.api().tokenFile()).hasToString("/tmp/t");
        assertThat(DaemonConfigParser.parse("s.yaml", GOOD + "api: {listen: 192.0.2.1:7739, token: 0123456789abcdef}\n")
            .api().host()).as("off loopback with a token").isEqualTo("192.0.2.1");
    }

    @Test
    void api_mistakes_are_refused_with_what_to_do() {
        assertError(GOOD + "api: {listen: 192.0.2.1:7739}\n", "s.yaml:14:6: api: the API listens on 192.0.2.1, which is"
            + " not a loopback address: set api.token");
        assertError(GOOD + "api: {listen: localhost}\n", "api.listen must be ADDRESS:PORT, like 127.0.0.1:7739");
        assertError(GOOD + "api: {token: short}\n", "the API token must be at least 16 characters");
        assertError(GOOD + "api: {tokn: x}\n", "api: unknown key 'tokn'");
        assertError(GOOD.replace("switch: {name: esxi-a}", "switch: {name: esxi-a, threads: 3}"), "switch.threads");
    }

    @Test
    void the_mac_move_guard_detects_flaps_by_default_and_freezes_only_when_asked() {
        assertThat(DaemonConfigParser.parse("s.yaml", GOOD).macMove())
            .isEqualTo(io.vxswitch.forwarding.fdb.MacMoveGuard.Options.DEFAULT);
        var o = DaemonConfigParser.parse("s.yaml", GOOD.replace("switch: {name: esxi-a}",
            "switch: {name: esxi-a, macMove: {maxMoves: 3, windowSeconds: 5, holdSeconds: 60}}")).macMove();
        assertThat(o.maxMoves()).isEqualTo(3);
        assertThat(o.windowNanos()).isEqualTo(5_000_000_000L);
        assertThat(o.holdNanos()).isEqualTo(60_000_000_000L);
        assertError(GOOD.replace("switch: {name: esxi-a}", "switch: {name: esxi-a, macMove: {maxMoves: 0}}"),
            "switch.macMove.maxMoves");
        assertError(GOOD.replace("switch: {name: esxi-a}", "switch: {name: esxi-a, macMove: {hold: 1}}"),
            "switch.macMove: unknown key 'hold'");
    }
}
