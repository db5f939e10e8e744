package io.vxswitch.vxlan;

import static io.vxswitch.vxlan.LabAddresses.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.MacAddress;
import io.vxswitch.packet.Vxlan;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The per-packet path allocates nothing: the tunnel egress (flood list, VNI guard, MTU check, VXLAN header,
 * source-port hash), outer headers over IPv4 and IPv6, decapsulation of whole frames and socket payloads, drops
 * included, VTEP lookups, a packet from an unknown VTEP refused, an unfinished inner checksum recognised. Counted by the JVM per thread, so the first boxed int or iterator that creeps in fails this.
 */
class AllocationTest {
    static final long VM2 = MacAddress.parseBits("02:00:00:00:00:02");

    @Test
    void encapsulation_and_decapsulation_allocate_nothing_per_packet() {
        Switch sw = new Switch(SwitchOptions.defaults("h").withMaxPorts(8));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan119", VlanPolicy.access(VLAN)));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan120", VlanPolicy.access(120)));
        sw.addPortGroup(new PortGroupPolicy("vxlan", VlanPolicy.trunk(VlanRange.parseList("119-120"), 0),
            SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.ENABLED));
        int vm1 = sw.addVnicPort("vm1", "vlan119", VM1);
        int vm2 = sw.addVnicPort("vm2", "vlan120", VM2);
        sw.addTunnelPort("vx", "vxlan");
        VxlanCounters counters = new VxlanCounters();
        RemoteVteps vteps = new RemoteVteps(16);
        FloodList floods = new FloodList(vteps);
        floods.add(VNI, HOST_B);
        floods.add(VNI, VtepAddress.parse("192.0.2.3"));
        VniMap vnis = VniMap.of(VNI, VLAN); // VLAN 120 has no VNI: its copies are dropped
        VxlanDecapsulator decap = new VxlanDecapsulator(vnis, DecapOptions.defaults(), counters);
        Vtep vtep = new Vtep(sw, "vx", vnis, vteps, floods, decap, counters);
        MtuCheck mtu = new MtuCheck(1500, counters, line -> { }, Long.MAX_VALUE);
        TunnelEgress egress = new TunnelEgress(vtep, mtu, SourcePortHash.rfc7348(), false);
        OuterHeaderWriter v4 = new OuterHeaderWriter(HOST_A_MAC, HOST_A, EncapOptions.defaults().withIpv4UdpChecksum(true));
        OuterHeaderWriter v6 = new OuterHeaderWriter(HOST_A_MAC, HOST_A6, EncapOptions.defaults());
        DecapResult result = new DecapResult();
        ForwardingDecision d = sw.newDecision();

        MemorySegment in = MemorySegment.ofArray(new byte[256]);
        int icmpLength = FrameBuilder.icmpEcho(in, 0, VM1, VM3, IP1, IP3, true, 1, 1);
        MemorySegment noVni = MemorySegment.ofArray(new byte[256]);
        int noVniLength = FrameBuilder.arpRequest(noVni, 0, VM2, IP1, IP3);
        MemorySegment buf = MemorySegment.ofArray(new byte[256]);
        MemorySegment arp = MemorySegment.ofArray(new byte[256]);
        FrameBuilder.arpRequest(arp, HEADROOM, VM1, IP1, IP3);
        MemorySegment tooBig = MemorySegment.ofArray(new byte[1600]);
        MemorySegment garbage = MemorySegment.ofArray(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14});
        VtepAddress spoofer = VtepAddress.parse("192.0.2.66");
        // a VXLAN payload whose inner UDP checksum was left for a NIC (CHECKSUM_PARTIAL): counted, explained once
        MemorySegment partial = MemorySegment.ofArray(new byte[256]);
        int partialLength = 8 + FrameBuilder.udp(partial, 8, VM3, VM1, IP3, IP1, 40000, 5201,
            MemorySegment.ofArray(new byte[4]));
        Vxlan.write(partial, 0, VNI);
        io.vxswitch.packet.Wire.putU16(partial, 8 + 34 + 6, io.vxswitch.packet.InternetChecksum.fold(
            io.vxswitch.packet.Ipv4.pseudoHeaderSum(IP3, IP1, io.vxswitch.packet.Ipv4.PROTOCOL_UDP, 12)));
        int hostB = vteps.idOf(HOST_B);

        Runnable burst = () -> {
            for (int n = 0; n < 5_000; n++) {
                sw.forward(vm1, in, 0, icmpLength, n, d); // flooded: a copy for each of the two peers
                for (int i = 0; i < d.egressCount(); i++) {
                    int targets = egress.targets(d, i);
                    for (int k = 0; k < targets; k++) {
                        int length = d.writeEgress(i, buf, HEADROOM);
                        int port = egress.encapsulate(buf, HEADROOM, length, k, n);
                        int outer = v4.write(buf, HEADROOM - TunnelEgress.HEADER, TunnelEgress.HEADER + length, port,
                            vteps, egress.target(k), HOST_B_MAC);
                        decap.decapsulateFrame(buf, HEADROOM - VxlanOverhead.IPV4, outer, result);
                    }
                }
                sw.forward(vm2, noVni, 0, noVniLength, n, d);
                egress.targets(d, 0);
                Vxlan.write(arp, HEADROOM - 8, VNI);
                int outer6 = v6.writeIpv6(arp, HEADROOM - 8, 8 + ARP_LENGTH, 49152, HOST_B6.high(), HOST_B6.low(),
                    HOST_B_MAC);
                decap.decapsulateFrame(arp, 0, outer6, result);
                decap.decapsulatePayload(arp, HEADROOM - 8, 8 + ARP_LENGTH, result);
                decap.decapsulateFrame(garbage, 0, 15, result);
                decap.decapsulatePayload(garbage, 0, 15, result);
                mtu.admit(tooBig, 0, 1500, VNI, false, n); // refused, logged once (interval: forever)
                vteps.idOfIpv4(result.outerIpv4() ? (int) result.outerSrcLow() : 0);
                vtep.sourceVtep(HOST_B.high(), HOST_B.low(), 1, n);
                vtep.sourceVtep(spoofer.high(), spoofer.low(), 1, n); // refused; logged once (first burst)
                vtep.decapsulate(partial, 0, partialLength);
                vtep.checkInnerChecksum(partial, hostB);
            }
        };
        burst.run();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        // The least of three measured bursts: a deoptimisation that lands in one (the JIT's timing moves with the
        // machine's load) rematerialises the objects escape analysis had removed, once, a kilobyte or so; an
        // allocation per packet would show in every burst, tens of kilobytes at least.
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long before = threads.getThreadAllocatedBytes(tid);
            burst.run();
            allocated = Math.min(allocated, threads.getThreadAllocatedBytes(tid) - before);
        }

        assertThat(counters.encapsulated()).isEqualTo(40_000);
        assertThat(counters.drops(VxlanDrop.VLAN_WITHOUT_VNI)).isEqualTo(20_000);
        assertThat(counters.drops(VxlanDrop.UNKNOWN_VTEP)).isEqualTo(20_000);
        assertThat(counters.innerChecksumUnfinished()).isEqualTo(20_000);
        assertThat(vteps.txPackets(vteps.idOf(HOST_B))).isEqualTo(20_000);
        // Per burst 10,000 decisions, 15,000 encapsulations, 30,000 decapsulations; a few hundred bytes of slack
        // for the measurement itself.
        assertThat(allocated).isLessThan(1024);
    }
}
