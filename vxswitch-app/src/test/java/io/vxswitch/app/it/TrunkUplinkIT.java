package io.vxswitch.app.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trunk uplink on a host interface (AF_PACKET) to a "physical switch" namespace with VLAN sub-interfaces:
 * <pre>
 *   vm119 10.119.0.1 --tap v119 (access 119)--+
 *   vm120 10.120.0.1 --tap v120 (access 120)--+ vxswitch (host) --interface up0 (trunk 119,120)
 *                                     == veth == eth0 [namespace tor: Open vSwitch br-tor, eth0 trunk 119,120]
 *                                                     s119 (access 119, internal) 10.119.0.2
 *                                                     s120 (access 120, internal) 10.120.0.2
 * </pre>
 * s119 and s120 stand for the VLAN sub-interfaces eth0.119 and eth0.120 of a router: this kernel has no 802.1Q
 * support (CONFIG_VLAN_8021Q off, no bridge VLAN filtering), so Open vSwitch's userspace datapath does the tagging.
 * tcpdump on tor's eth0 sees the frames exactly as they cross the trunk. vxswitch reads up0 through a TPACKET_V3
 * ring (the veth strips each tag on the way in; the ring's frame header gives it back).
 */
@Timeout(120)
class TrunkUplinkIT extends LabIT {
    private static final String V119_MAC = "02:00:00:00:77:01";
    private static final String V120_MAC = "02:00:00:00:78:01";

    private Netns tor;
    private Ovs ovs;
    private Netns vm119;
    private Netns vm120;

    @BeforeEach
    void build() {
        Tools.assume("the trunk test", "ethtool", "tcpdump");
        Ovs.assumeInstalled("the trunk test's physical switch (this kernel has no 802.1Q sub-interfaces)");
        Netns host = lab.netns("host");
        tor = lab.netns("tor");
        lab.veth(host, "up0", tor, "eth0", 1500);
        // vxswitch reads up0 with AF_PACKET: offloads off on both ends of this veth (see Netns.offloadsOff)
        host.offloadsOff("up0");
        tor.offloadsOff("eth0");
        // The "physical switch": this kernel has neither 802.1Q sub-interfaces (CONFIG_VLAN_8021Q is off) nor
        // bridge VLAN filtering, so Open vSwitch plays it: eth0 a trunk port for 119 and 120, and internal ports
        // s119 (access 119) and s120 (access 120) stand for the sub-interfaces eth0.119 and eth0.120.
        ovs = Ovs.start(lab, tor);
        ovs.vsctl("add-br", "br-tor", "--", "set", "bridge", "br-tor", "datapath_type=netdev");
        ovs.vsctl("add-port", "br-tor", "eth0", "trunks=119,120");
        for (int vlan : new int[] {119, 120}) {
            ovs.vsctl("add-port", "br-tor", "s" + vlan, "tag=" + vlan, "--", "set", "interface", "s" + vlan,
                "type=internal");
            tor.ip("addr add 10." + vlan + ".0.2/24 dev s" + vlan);
            tor.ip("link set s" + vlan + " up");
        }
        // Answer ARP only on the interface that holds the address asked for: otherwise Linux (weak host model)
        // answers for 10.119.0.2 on s120 too, and an answer would no longer tell which VLAN the request came in on
        tor.sysctl("net.ipv4.conf.all.arp_ignore=1");

        Daemon.start(lab, host, """
            switch: {name: it-trunk}
            portGroups:
              - {name: trunk, vlan: {trunk: "119,120"}}
              - {name: vlan119, vlan: 119}
              - {name: vlan120, vlan: 120}
            ports:
              - {name: uplink, type: interface, interface: up0, portGroup: trunk, ring: true}
              - {name: v119, type: tap, portGroup: vlan119, mac: "%s"}
              - {name: v120, type: tap, portGroup: vlan120, mac: "%s"}
            """.formatted(V119_MAC, V120_MAC));
        vm119 = lab.vmOnTap("vm119", host, "v119", "10.119.0.1/24", V119_MAC);
        vm120 = lab.vmOnTap("vm120", host, "v120", "10.120.0.1/24", V120_MAC);
    }

    @Test
    void each_access_port_reaches_its_vlans_sub_interface_and_frames_carry_their_tag_on_the_trunk() {
        Capture trunk = Capture.tcpdump(lab, tor, "eth0");
        List<Ping> pings = List.of(vm119.ping("10.119.0.2"), vm120.ping("10.120.0.2"), tor.ping("10.119.0.1"),
            tor.ping("10.120.0.1"));
        List<String> frames = trunk.stop().lines().filter(l -> l.contains(" > ")).toList();
        for (Ping p : pings) {
            assertThat(p.allAnsweredOnce()).as(p + lab.diagnostics() + ovs.state("br-tor")).isTrue();
        }
        assertThat(frames).as("frames on the trunk (tcpdump -e in tor)")
            .anyMatch(l -> l.contains("vlan 119,") && l.contains("10.119.0.1 > 10.119.0.2: ICMP echo request"))
            .anyMatch(l -> l.contains("vlan 119,") && l.contains("10.119.0.2 > 10.119.0.1: ICMP echo reply"))
            .anyMatch(l -> l.contains("vlan 120,") && l.contains("10.120.0.1 > 10.120.0.2: ICMP echo request"))
            .anyMatch(l -> l.contains("vlan 120,") && l.contains("10.120.0.2 > 10.120.0.1: ICMP echo reply"));
        assertThat(frames.stream().filter(l -> l.contains("10.119.0.")))
            .as("every VLAN 119 frame on the trunk is tagged 119").allMatch(l -> l.contains("vlan 119,"));
        assertThat(frames.stream().filter(l -> l.contains("10.120.0.")))
            .as("every VLAN 120 frame on the trunk is tagged 120").allMatch(l -> l.contains("vlan 120,"));
        assertThat(frames).as("nothing crosses the trunk untagged")
            .allMatch(l -> l.contains("ethertype 802.1Q"));
    }

    @Test
    void the_vlan_120_access_port_reaches_only_the_vlan_120_side() {
        // vm120 takes an address in VLAN 119's subnet too: only a leak between the VLANs could make 10.119.0.2
        // answer it
        vm120.ip("addr add 10.119.0.3/24 dev v120");
        Capture trunk = Capture.tcpdump(lab, tor, "eth0");
        Capture vlan119Port = Capture.tcpdump(lab, vm119, "v119");
        Ping own = vm120.ping("10.120.0.2");
        Ping other = vm120.ping("10.119.0.2", 3, 1);
        String onTrunk = trunk.stop();
        String on119 = vlan119Port.stop();

        assertThat(own.allAnsweredOnce()).as(own + lab.diagnostics() + ovs.state("br-tor")).isTrue();
        assertThat(other.noneAnswered())
            .as("VLAN 120 reaching VLAN 119's 10.119.0.2\n" + other + "\ntrunk:\n" + onTrunk).isTrue();
        assertThat(on119).as("what the VLAN 119 access port received while vm120 sent").doesNotContain(V120_MAC);
        assertThat(onTrunk.lines().filter(l -> l.contains("tell 10.119.0.3")))
            .as("vm120's ARP requests for 10.119.0.2 leave on the trunk tagged 120 only").isNotEmpty()
            .allMatch(l -> l.contains("vlan 120,"));
    }
}
