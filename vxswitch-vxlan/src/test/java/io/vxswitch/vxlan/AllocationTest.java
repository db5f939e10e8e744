package io.vxswitch.vxlan;

import static io.vxswitch.vxlan.LabAddresses.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.vxswitch.packet.FrameBuilder;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The per-packet path allocates nothing: MTU check, source-port hash, encapsulation over IPv4 and IPv6,
 * decapsulation of whole frames and socket payloads, drops included, flood-list and VTEP lookups. Counted
 * by the JVM per thread, so the first boxed int or iterator that creeps in fails this.
 */
class AllocationTest {

    @Test
    void encapsulation_and_decapsulation_allocate_nothing_per_packet() {
        VxlanCounters counters = new VxlanCounters();
        RemoteVteps vteps = new RemoteVteps(16);
        FloodList floods = new FloodList(vteps);
        floods.add(VNI, HOST_B);
        floods.add(VNI, VtepAddress.parse("192.0.2.3"));
        VniMap vnis = VniMap.of(VNI, VLAN);
        MtuCheck mtu = new MtuCheck(1500, counters, line -> { }, Long.MAX_VALUE);
        VxlanEncapsulator v4 = new VxlanEncapsulator(HOST_A_MAC, HOST_A,
            EncapOptions.defaults().withIpv4UdpChecksum(true), SourcePortHash.rfc7348(), counters);
        VxlanEncapsulator v6 = new VxlanEncapsulator(HOST_A_MAC, HOST_A6, EncapOptions.defaults(),
            SourcePortHash.rfc7348(), counters);
        VxlanDecapsulator decap = new VxlanDecapsulator(vnis, DecapOptions.defaults(), counters);
        DecapResult result = new DecapResult();

        MemorySegment icmp = MemorySegment.ofArray(new byte[256]);
        int icmpLength = FrameBuilder.icmpEcho(icmp, HEADROOM, VM1, VM3, IP1, IP3, true, 1, 1);
        MemorySegment arp = MemorySegment.ofArray(new byte[256]);
        FrameBuilder.arpRequest(arp, HEADROOM, VM1, IP1, IP3);
        MemorySegment tooBig = MemorySegment.ofArray(new byte[1600]);
        MemorySegment garbage = MemorySegment.ofArray(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14});

        Runnable burst = () -> {
            for (int n = 0; n < 5_000; n++) {
                if (mtu.admit(icmp, HEADROOM, icmpLength, VNI, false, n)) {
                    FloodTargets targets = floods.targets(VNI);
                    for (int t = 0; t < targets.size(); t++) {
                        int outer = v4.encapsulate(icmp, HEADROOM, icmpLength, VNI, vteps, targets.vtepId(t), HOST_B_MAC);
                        decap.decapsulateFrame(icmp, v4.outerOffset(HEADROOM), outer, result);
                    }
                }
                int outer6 = v6.encapsulateIpv6(arp, HEADROOM, ARP_LENGTH, VNI, HOST_B6.high(), HOST_B6.low(), HOST_B_MAC);
                decap.decapsulateFrame(arp, 0, outer6, result);
                decap.decapsulatePayload(arp, HEADROOM - 8, 8 + ARP_LENGTH, result);
                decap.decapsulateFrame(garbage, 0, 15, result);
                decap.decapsulatePayload(garbage, 0, 15, result);
                mtu.admit(tooBig, 0, 1500, VNI, false, n); // refused, logged once (interval: forever)
                vteps.idOfIpv4(result.outerIpv4() ? (int) result.outerSrcLow() : 0);
            }
        };
        burst.run();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(tid);
        burst.run();
        long allocated = threads.getThreadAllocatedBytes(tid) - before;

        assertThat(counters.encapsulated()).isEqualTo(30_000);
        // 50,000 encapsulations and decapsulations; a few hundred bytes of slack for the measurement itself.
        assertThat(allocated).isLessThan(1024);
    }
}
