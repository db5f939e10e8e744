package io.vxswitch.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stretched VLAN over an IPv6 underlay, against the Linux kernel's VXLAN:
 * <pre>
 *   vm1 10.0.0.1 --tap--+ vxswitch (hostA)                 hostB: br0 + vxlan119 (id 119, dstport 4789) -- vm3
 *                         VTEP 2001:db8:ffff::1 ul0 &lt;== veth ==&gt; ul0 2001:db8:ffff::2
 * </pre>
 * VM MTU 1430: 1500 on the underlay less 70 bytes of outer Ethernet, IPv6, UDP and VXLAN headers. Both ways: pings,
 * the kernel's FDB learning vm1 behind vxswitch's IPv6 VTEP and vxswitch's learning vm3 behind hostB's, and TCP each
 * way, whose segments from hostB are joined into super-frames on the way in (GRO) and arrive intact (SHA-256).
 */
@Timeout(120)
class KernelVxlanIpv6IT extends LabIT {
    private static final String VM1_MAC = "02:00:00:00:00:01";
    private static final String VM3_MAC = "02:00:00:00:00:03";
    private static final String A = "2001:db8:ffff::1";
    private static final String B = "2001:db8:ffff::2";

    @Test
    void vms_ping_and_tcp_cross_an_ipv6_underlay_to_kernel_vxlan_with_gro_on_the_way_in() throws Exception {
        Tools.assume("the kernel VXLAN peer", "ethtool");
        Netns hostA = lab.netns("hostA");
        Netns hostB = lab.netns("hostB");
        lab.veth(hostA, "ul0", hostB, "ul0", 1500);
        for (Netns host : new Netns[] {hostA, hostB}) { // the lab's namespaces start with IPv6 off
            host.sysctl("net.ipv6.conf.all.disable_ipv6=0");
            host.sysctl("net.ipv6.conf.ul0.disable_ipv6=0");
        }
        hostA.ip("-6 addr add " + A + "/64 dev ul0 nodad");
        hostB.ip("-6 addr add " + B + "/64 dev ul0 nodad");
        hostA.offloadsOff("ul0"); // as in KernelVxlanIT: no inner checksum left for a NIC a veth does not have
        hostB.offloadsOff("ul0");
        Netns vm3 = lab.vm3BehindKernelVtep(hostB, B, A, "10.0.0.3/24", VM3_MAC);
        vm3.ip("link set eth0 mtu 1430");
        Daemon daemon = Daemon.start(lab, hostA, """
            switch: {name: it-ipv6-underlay}
            portGroups:
              - {name: vlan119, vlan: 119}
            ports:
              - {name: vm1, type: tap, portGroup: vlan119, mac: "%s", mtu: 1430}
            tunnels:
              - {name: vx119, vni: 119, vlan: 119, local: "%s", remotes: ["%s"], port: 4789}
            """.formatted(VM1_MAC, A, B));
        Netns vm1 = lab.vmOnTap("vm1", hostA, "vm1", "10.0.0.1/24", VM1_MAC);
        vm1.ip("link set vm1 mtu 1430");

        Ping there = vm1.ping("10.0.0.3");
        assertThat(there.allAnsweredOnce()).as(there + lab.diagnostics()).isTrue();
        Ping back = vm3.ping("10.0.0.1");
        assertThat(back.allAnsweredOnce()).as(back + lab.diagnostics()).isTrue();
        assertThat(hostB.exec("bridge", "fdb", "show", "dev", "vxlan119")).as("the kernel learned vm1 behind"
            + " vxswitch's IPv6 VTEP").contains(VM1_MAC + " dst " + A);
        assertThat(daemon.cli("fdb", "show", "--port", "vx119")).as("and vxswitch vm3 behind hostB's")
            .containsPattern("vx119\\s+119\\s+" + VM3_MAC + "\\s+\\d+\\s+learned\\s+0\\s+2001:db8:ffff::2");

        Iperf.Result out = Iperf.tcp(lab, vm3, "10.0.0.3", vm1, 2);
        assertThat(out.mbps()).as("TCP vm1 -> vm3\n" + out.output() + lab.diagnostics()).isGreaterThan(1);
        Iperf.Result in = Iperf.tcp(lab, vm1, "10.0.0.1", vm3, 2);
        assertThat(in.mbps()).as("TCP vm3 -> vm1\n" + in.output() + lab.diagnostics()).isGreaterThan(1);
        System.out.printf("[KernelVxlanIpv6IT] TCP over the IPv6 underlay: vm1 -> vm3 %.1f, vm3 -> vm1 %.1f Mbit/s%n",
            out.mbps(), in.mbps());
        JsonNode gro = daemon.portStats("vx119").get("offload");
        assertThat(gro.get("superFramesCoalesced").asLong()).as("segments from hostB joined on the way in " + gro)
            .isPositive();
        assertThat(gro.get("segmentsCoalesced").asLong()).isGreaterThan(2 * gro.get("superFramesCoalesced").asLong());
        JsonNode tunnel = new ObjectMapper().readTree(daemon.cli("tunnels", "--json")).get(0);
        assertThat(tunnel.path("innerChecksumUnfinished").asLong()).isZero();
        DigestTransfer.assertIntact(lab, vm3, vm1, "10.0.0.1", 5);
        assertThat(daemon.stop()).doesNotContain("Exception");
    }
}
