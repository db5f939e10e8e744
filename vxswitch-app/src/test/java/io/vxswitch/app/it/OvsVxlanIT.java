package io.vxswitch.app.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The article's own peer: Open vSwitch as the far VTEP.
 * <pre>
 *   vm1 10.0.0.1 --tap--+ vxswitch (hostA)         hostB: Open vSwitch, userspace datapath
 *   vm2 10.0.0.2 --tap--+ VTEP 192.0.2.1             br-int: vxlan0 (key 119, remote 192.0.2.1) + vm3 -- vm3 10.0.0.3
 *                         ul0 &lt;===== veth =====&gt; ul0 -- br-phy (192.0.2.2 on its internal port)
 * </pre>
 * OVS's userspace tunnelling needs the underlay address on an OVS bridge (br-phy), where its own routing and ARP
 * tables find it.
 */
@Timeout(120)
class OvsVxlanIT extends LabIT {
    private static final String VM1_MAC = KernelVxlanIT.VM1_MAC;
    private static final String VM2_MAC = KernelVxlanIT.VM2_MAC;
    private static final String VM3_MAC = KernelVxlanIT.VM3_MAC;

    private Ovs ovs;
    private Netns vm1;
    private Netns vm2;
    private Netns vm3;

    @BeforeEach
    void build() {
        Ovs.assumeInstalled("the Open vSwitch peer");
        Tools.assume("the Open vSwitch peer", "ethtool");
        Netns hostA = lab.netns("hostA");
        Netns hostB = lab.netns("hostB");
        lab.veth(hostA, "ul0", hostB, "ul0", 1500);
        hostA.ip("addr add 192.0.2.1/24 dev ul0");
        // OVS reads hostB's ul0 and vm3 with AF_PACKET: offloads off on both ends of those veths, or it gets
        // VXLAN packets with an unfinished outer UDP checksum (dropped as datapath_drop_tunnel_pop_error) and TCP
        // segments with unfinished checksums (see Netns.offloadsOff)
        hostA.offloadsOff("ul0");
        hostB.offloadsOff("ul0");

        ovs = Ovs.start(lab, hostB);
        ovs.vsctl("add-br", "br-phy", "--", "set", "bridge", "br-phy", "datapath_type=netdev");
        ovs.vsctl("add-port", "br-phy", "ul0");
        hostB.ip("addr add 192.0.2.2/24 dev br-phy");
        hostB.ip("link set br-phy up");
        ovs.vsctl("add-br", "br-int", "--", "set", "bridge", "br-int", "datapath_type=netdev");
        ovs.vsctl("add-port", "br-int", "vxlan0", "--", "set", "interface", "vxlan0", "type=vxlan",
            "options:remote_ip=192.0.2.1", "options:local_ip=192.0.2.2", "options:key=119", "options:dst_port=4789");
        vm3 = lab.vmOnVeth("vm3", hostB, "vm3", "10.0.0.3/24", VM3_MAC, 1450);
        vm3.offloadsOff("eth0");
        hostB.offloadsOff("vm3");
        ovs.vsctl("add-port", "br-int", "vm3");

        Daemon.start(lab, hostA, KernelVxlanIT.hostA(""));
        vm1 = lab.vmOnTap("vm1", hostA, "vm1", "10.0.0.1/24", VM1_MAC);
        vm2 = lab.vmOnTap("vm2", hostA, "vm2", "10.0.0.2/24", VM2_MAC);
    }

    @Test
    void vms_ping_both_ways_through_vxswitch_and_open_vswitch() {
        // OVS resolves the remote VTEP's MAC (ARP on br-phy) on the first tunnelled packet and drops that packet
        assertThat(vm1.pingsWithin("10.0.0.3", Duration.ofSeconds(10)))
            .as("vm1 -> vm3 answered within 10 s" + lab.diagnostics() + ovs.state("br-int", "br-phy")).isTrue();
        Ping there = vm1.ping("10.0.0.3");
        assertThat(there.allAnsweredOnce()).as(there + lab.diagnostics() + ovs.state("br-int", "br-phy")).isTrue();
        Ping back = vm3.ping("10.0.0.1");
        assertThat(back.allAnsweredOnce()).as(back + lab.diagnostics() + ovs.state("br-int", "br-phy")).isTrue();
        Ping second = vm3.ping("10.0.0.2");
        assertThat(second.allAnsweredOnce()).as(second + lab.diagnostics() + ovs.state("br-int", "br-phy"))
            .isTrue();
        // OVS learned vxswitch's VMs behind its vxlan0 port
        String fdb = ovs.appctl("fdb/show", "br-int").out();
        String vxlanPort = ovs.vsctl("get", "interface", "vxlan0", "ofport").trim();
        assertThat(fdb.lines()).as("OVS br-int MAC table:\n" + fdb)
            .anyMatch(l -> l.trim().startsWith(vxlanPort + " ") && l.contains(VM1_MAC))
            .anyMatch(l -> l.trim().startsWith(vxlanPort + " ") && l.contains(VM2_MAC));
    }
}
