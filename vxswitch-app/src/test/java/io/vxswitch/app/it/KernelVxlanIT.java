package io.vxswitch.app.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stretched VLAN between vxswitch and the Linux kernel's VXLAN, the reference implementation:
 * <pre>
 *   vm1 10.0.0.1 --tap--+                                              +-- veth -- vm3 10.0.0.3
 *   vm2 10.0.0.2 --tap--+ vxswitch (hostA)                 hostB: br0 + vxlan119 (id 119, dstport 4789)
 *                         VTEP 192.0.2.1 ul0 &lt;== veth ==&gt; ul0 192.0.2.2
 * </pre>
 * VM MTU 1450: 1500 on the underlay less 50 bytes of outer Ethernet, IPv4, UDP and VXLAN headers.
 */
@Timeout(120)
class KernelVxlanIT extends LabIT {
    static final String VM1_MAC = "02:00:00:00:00:01";
    static final String VM2_MAC = "02:00:00:00:00:02";
    static final String VM3_MAC = "02:00:00:00:00:03";

    /**
     * hostA's config in the VXLAN tests: vm1 and vm2 on taps in VLAN 119, tunnel vx119 to 192.0.2.2;
     * {@code switchSettings} go into the switch line, e.g. {@code ", loops: 2"}.
     */
    static String hostA(String switchSettings) {
        return """
            switch: {name: it-hostA%s}
            portGroups:
              - {name: vlan119, vlan: 119}
            ports:
              - {name: vm1, type: tap, portGroup: vlan119, mac: "%s", mtu: 1450}
              - {name: vm2, type: tap, portGroup: vlan119, mac: "%s", mtu: 1450}
            tunnels:
              - {name: vx119, vni: 119, vlan: 119, local: 192.0.2.1, remotes: [192.0.2.2], port: 4789}
            """.formatted(switchSettings, VM1_MAC, VM2_MAC);
    }

    private Netns hostB;
    private Netns vm1;
    private Netns vm2;
    private Netns vm3;
    private Daemon daemon;

    /** The namespaces of the picture above, without vxswitch, vm1 and vm2. */
    record Peer(Netns hostA, Netns hostB, Netns vm3) {
    }

    /** hostA with its underlay to hostB, where a Linux bridge and kernel vxlan119 have vm3 behind them. */
    static Peer kernelPeer(Lab lab) {
        Netns hostA = lab.netns("hostA");
        Netns hostB = lab.netns("hostB");
        lab.veth(hostA, "ul0", hostB, "ul0", 1500);
        hostA.ip("addr add 192.0.2.1/24 dev ul0");
        hostB.ip("addr add 192.0.2.2/24 dev ul0");
        // Offloads off on both underlay ends (see Netns.offloadsOff): hostB's kernel VTEP would otherwise send VXLAN
        // packets whose inner TCP checksum is left unfinished for a NIC that a veth does not have, and vxswitch's
        // UDP socket would receive them as they are.
        hostA.offloadsOff("ul0");
        hostB.offloadsOff("ul0");
        return new Peer(hostA, hostB, lab.vm3BehindKernelVtep(hostB, "192.0.2.2", "192.0.2.1", "10.0.0.3/24", VM3_MAC));
    }

    @BeforeEach
    void build() {
        Tools.assume("the kernel VXLAN peer", "ethtool");
        Peer peer = kernelPeer(lab);
        Netns hostA = peer.hostA();
        hostB = peer.hostB();
        vm3 = peer.vm3();

        daemon = Daemon.start(lab, hostA, hostA(""));
        vm1 = lab.vmOnTap("vm1", hostA, "vm1", "10.0.0.1/24", VM1_MAC);
        vm2 = lab.vmOnTap("vm2", hostA, "vm2", "10.0.0.2/24", VM2_MAC);
    }

    @Test
    void vms_ping_and_tcp_cross_the_tunnel_to_a_linux_bridge_with_kernel_vxlan() throws Exception {
        Ping there = vm1.ping("10.0.0.3");
        assertThat(there.allAnsweredOnce()).as(there + lab.diagnostics()).isTrue();
        Ping back = vm3.ping("10.0.0.1");
        assertThat(back.allAnsweredOnce()).as(back + lab.diagnostics()).isTrue();
        Ping second = vm2.ping("10.0.0.3");
        assertThat(second.allAnsweredOnce()).as(second + lab.diagnostics()).isTrue();
        Ping local = vm1.ping("10.0.0.2");
        assertThat(local.allAnsweredOnce()).as(local + lab.diagnostics()).isTrue();
        // hostB's kernel VTEP learned vm1 behind vxswitch's VTEP address
        assertThat(hostB.exec("bridge", "fdb", "show", "dev", "vxlan119"))
            .contains(VM1_MAC + " dst 192.0.2.1");
        // and vxswitch learned vm3 behind hostB's VTEP, as its own fdb show tells
        assertThat(daemon.cli("fdb", "show", "--port", "vx119"))
            .containsPattern("vx119\\s+119\\s+" + VM3_MAC + "\\s+\\d+\\s+learned\\s+0\\s+192\\.0\\.2\\.2");
        assertThat(daemon.cli("tunnels")).as("VNI, VLAN, flood list, encapsulated and decapsulated counts")
            .containsPattern("vx119\\s+192\\.0\\.2\\.1:4789\\s+119\\s+119\\s+192\\.0\\.2\\.2\\s+[1-9]\\d*\\s+[1-9]\\d*");
        assertThat(daemon.cli("tunnels", "--json")).as("per-peer counters")
            .containsPattern("\"address\" : \"192\\.0\\.2\\.2\",\\s+\"rxPackets\" : [1-9]\\d*,\\s+\"txPackets\" : [1-9]");
        assertThat(daemon.cli("tunnels", "flood-add", "vx119", "--vni", "119", "--remote", "192.0.2.9"))
            .isEqualTo("VNI 119 on vx119 now floods to 192.0.2.9 too\n");
        assertThat(daemon.cli("tunnels")).contains("192.0.2.2 192.0.2.9");
        daemon.cli("tunnels", "flood-del", "vx119", "--vni", "119", "--remote", "192.0.2.9");
        assertThat(daemon.cli("tunnels")).doesNotContain("192.0.2.9");

        Iperf.Result tcp = Iperf.tcp(lab, vm3, "10.0.0.3", vm1, 3);
        System.out.printf("[KernelVxlanIT] iperf3 TCP vm1 -> vm3, vxswitch -> kernel vxlan, 3 s: %.1f Mbit/s%n",
            tcp.mbps());
        assertThat(tcp.mbps()).as("iperf3 TCP throughput vm1 -> vm3 (Mbit/s)\n" + tcp.output() + lab.diagnostics())
            .isGreaterThan(0);
        // and the other way, so that full-sized segments are decapsulated and looked at, not only ACKs
        Iperf.Result reverse = Iperf.tcp(lab, vm1, "10.0.0.1", vm3, 2);
        assertThat(reverse.mbps()).as("iperf3 TCP vm3 -> vm1\n" + reverse.output() + lab.diagnostics())
            .isGreaterThan(0);
        com.fasterxml.jackson.databind.JsonNode tunnel = new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(daemon.cli("tunnels", "--json")).get(0);
        System.out.printf("[KernelVxlanIT] %d VXLAN datagrams decapsulated, %d taken for unfinished checksums%n",
            tunnel.path("decapsulated").asLong(), tunnel.path("innerChecksumUnfinished").asLong());
        assertThat(tunnel.path("innerChecksumUnfinished").asLong()).as("no finished checksum taken for an unfinished "
            + "one").isZero();
    }

    @Test
    void tcp_from_a_kernel_vtep_with_tx_offload_on_is_counted_and_explained_not_silently_lost() {
        // Offloads back on where kernelPeer turned them off: vm3's SYN leaves with its checksum for a NIC to finish,
        // and hostB's vxlan device, over a veth that "offloads" it, encapsulates it unfinished (docs/config.md).
        hostB.exec("ethtool", "-K", "ul0", "tx", "on");
        vm3.exec("ethtool", "-K", "eth0", "tx", "on");
        vm3.run(Duration.ofSeconds(10), "timeout", "2", "bash", "-c", "exec 3<>/dev/tcp/10.0.0.1/5201");

        String tunnels = Poll.until("vxswitch tunnels counts unfinished inner checksums", Duration.ofSeconds(10),
            () -> daemon.cli("tunnels"), out -> out.contains("came with their checksum left for a NIC"),
            lab::diagnostics);
        assertThat(tunnels).containsPattern("vx119: [1-9]\\d* decapsulated TCP/UDP frames came with their checksum");
        daemon.awaitLog("tunnel vx119: VXLAN from 192\\.0\\.2\\.2 carries TCP/UDP whose checksum its sender left"
            + " .*ethtool -K ul0 tx off", Duration.ofSeconds(5));
        vm3.run(Duration.ofSeconds(10), "timeout", "2", "bash", "-c", "exec 3<>/dev/tcp/10.0.0.1/5201");
        assertThat(daemon.output().split("carries TCP/UDP whose checksum", -1)).as("the hint is given once")
            .hasSize(2);
    }

    @Test
    void tshark_on_the_underlay_decodes_vxlan_vni_119_both_ways() {
        Tools.assume("the tshark check", "tshark");
        Capture capture = Capture.tshark(lab, hostB, "ul0", "udp port 4789");
        Ping there = vm1.ping("10.0.0.3");
        Ping back = vm3.ping("10.0.0.1");
        capture.stop();
        assertThat(there.allAnsweredOnce()).as(there + lab.diagnostics()).isTrue();
        assertThat(back.allAnsweredOnce()).as(back + lab.diagnostics()).isTrue();

        List<UnderlayPacket> all = UnderlayPacket.dissect(capture.file());
        List<UnderlayPacket> fromVxswitch = all.stream().filter(p -> p.from("192.0.2.1", "192.0.2.2")).toList();
        List<UnderlayPacket> fromKernel = all.stream().filter(p -> p.from("192.0.2.2", "192.0.2.1")).toList();
        assertThat(all).as("every packet on UDP 4789 is VXLAN with the I flag, VNI 119, reserved fields zero, "
            + "and dissects without errors").allMatch(p -> p.isCleanVxlan(119));
        assertThat(fromVxswitch).as("VXLAN packets vxswitch sent (ARP, echo requests and replies)")
            .hasSizeGreaterThanOrEqualTo(4).anyMatch(p -> p.innerSrcMac().equals(VM1_MAC));
        assertThat(fromKernel).as("VXLAN packets the kernel VTEP sent")
            .hasSizeGreaterThanOrEqualTo(4).anyMatch(p -> p.innerSrcMac().equals(VM3_MAC));
    }
}
