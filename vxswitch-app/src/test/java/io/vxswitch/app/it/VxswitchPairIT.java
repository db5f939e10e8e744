package io.vxswitch.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * vxswitch at both ends of the tunnel, the underlay veth with the kernel's default offloads:
 * <pre>
 *   vm1 10.0.0.1 --tap-- vxswitch (hostA) 192.0.2.1 ==== ul0 veth ==== 192.0.2.2 vxswitch (hostB) --tap-- vm3 10.0.0.3
 * </pre>
 * The sender cuts vm1's TCP super-frames into VXLAN datagrams sent as UDP GSO trains; the veth carries a train whole,
 * the receiver's socket takes it whole (UDP_GRO), splits it into datagrams and coalesces their TCP segments into a
 * super-frame for vm3's tap: 64 KiB in, 64 KiB out, with the wire format in between. hostA reads its tap with
 * {@code read(2)}, hostB through io_uring ({@code switch.tapReads}), so the way back starts with a multishot read.
 */
@Timeout(150)
class VxswitchPairIT extends LabIT {
    private static final String YAML = """
        switch: {name: it-%s, tapReads: %s}
        portGroups:
          - {name: vlan119, vlan: 119}
        ports:
          - {name: %s, type: tap, portGroup: vlan119, mac: "%s", mtu: 1450}
        tunnels:
          - {name: vx119, vni: 119, vlan: 119, local: %s, remotes: [%s], port: 4789}
        """;

    @Test
    void tcp_crosses_a_tunnel_between_two_vxswitches_as_gso_trains_joined_again_on_the_far_side() throws Exception {
        Tools.assume("the vxswitch pair", "iperf3", "python3");
        Netns hostA = lab.netns("hostA");
        Netns hostB = lab.netns("hostB");
        lab.veth(hostA, "ul0", hostB, "ul0", 1500);
        hostA.ip("addr add 192.0.2.1/24 dev ul0");
        hostB.ip("addr add 192.0.2.2/24 dev ul0");
        Daemon a = Daemon.start(lab, hostA, YAML.formatted("hostA", "read", "vm1", "02:00:00:00:00:01",
            "192.0.2.1", "192.0.2.2"));
        Daemon b = Daemon.start(lab, hostB, YAML.formatted("hostB", "io_uring", "vm3", "02:00:00:00:00:03",
            "192.0.2.2", "192.0.2.1"));
        assertThat(a.output()).contains("UDP GSO, UDP GRO").doesNotContain("io_uring");
        assertThat(b.output()).contains("UDP GSO, UDP GRO").contains("on tap vm3 (offload: csum, tso, uso)"
            + " (io_uring reads)");
        Netns vm1 = lab.vmOnTap("vm1", hostA, "vm1", "10.0.0.1/24", "02:00:00:00:00:01");
        Netns vm3 = lab.vmOnTap("vm3", hostB, "vm3", "10.0.0.3/24", "02:00:00:00:00:03");
        Ping ping = vm1.ping("10.0.0.3");
        assertThat(ping.allAnsweredOnce()).as(ping + lab.diagnostics()).isTrue();

        Iperf.Result there = Iperf.tcp(lab, vm3, "10.0.0.3", vm1, 2);
        Iperf.Result back = Iperf.tcp(lab, vm1, "10.0.0.1", vm3, 2);
        System.out.printf("[VxswitchPairIT] iperf3 TCP vm1 -> vm3 %.1f Mbit/s, vm3 -> vm1 %.1f Mbit/s%n", there.mbps(),
            back.mbps());
        assertThat(there.mbps()).as(there.output() + lab.diagnostics()).isGreaterThan(1);
        assertThat(back.mbps()).as(back.output() + lab.diagnostics()).isGreaterThan(1);

        DigestTransfer.assertIntact(lab, vm1, vm3, "10.0.0.3", 11);
        DigestTransfer.assertIntact(lab, vm3, vm1, "10.0.0.1", 12); // out of vm3's tap through hostB's io_uring

        JsonNode sender = offload(a);
        JsonNode joiner = offload(b);
        assertThat(sender.path("superFramesCut").asLong()).as("hostA's tunnel cut super-frames " + sender)
            .isPositive();
        assertThat(joiner.path("segmentsCoalesced").asLong()).as("hostB's tunnel coalesced segments " + joiner)
            .isGreaterThan(2 * joiner.path("superFramesCoalesced").asLong());
        assertThat(a.stop()).doesNotContain("Exception");
        assertThat(b.stop()).doesNotContain("Exception");
    }

    private static JsonNode offload(Daemon daemon) throws Exception {
        for (JsonNode p : new ObjectMapper().readTree(daemon.cli("stats", "--json"))) {
            if (p.get("port").asText().equals("vx119")) {
                return p.get("offload");
            }
        }
        throw new AssertionError("no tunnel port vx119 in vxswitch stats");
    }
}
