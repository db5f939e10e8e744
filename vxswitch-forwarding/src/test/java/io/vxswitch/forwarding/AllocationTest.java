package io.vxswitch.forwarding;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import static io.vxswitch.forwarding.SwitchFixture.*;
import static io.vxswitch.forwarding.TestFrames.BROADCAST;
import static io.vxswitch.forwarding.TestFrames.untagged;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data path allocates nothing per frame. Counted by the JVM per thread, so this fails on the first
 * boxed long or iterator that creeps into {@link Switch#forward}.
 */
class AllocationTest {

    @Test
    void forwarding_allocates_nothing_per_frame() {
        SwitchFixture f = SwitchFixture.learning();
        MemorySegment[] frames = {
            untagged(VM2, VM1), untagged(BROADCAST, VM1), untagged(VM1, VM3), untagged(VM3, VM1),
            untagged(0x02aa00000001L, VM1), TestFrames.tagged(VM4, OUTSIDE, 119)};
        String[] in = {"vm1", "vm1", "nested", "vm1", "vm1", "uplink1"};
        int[] ports = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            ports[i] = f.sw.port(in[i]).id();
        }
        MemorySegment out = MemorySegment.ofArray(new byte[128]);
        Runnable burst = () -> {
            for (int n = 0; n < 2_000; n++) {
                for (int i = 0; i < frames.length; i++) {
                    f.sw.forward(ports[i], frames[i], 0, (int) frames[i].byteSize(), f.now++, f.d);
                    for (int e = 0; e < f.d.egressCount(); e++) {
                        f.d.writeEgress(e, out, 0);
                    }
                }
            }
        };
        long allocated = allocatedBy(burst);
        // 120,000 frames: one 16-byte object per frame would be ~1.9 MB. The slack covers one-off JVM work
        // (JIT deoptimisation, lazy linkage) that is not per frame.
        assertThat(allocated).isLessThan(64 * 1024);
    }

    /** With IPFIX on, each frame's observation goes into the lane's ring: still nothing allocated per frame. */
    @Test
    void observing_flows_allocates_nothing_per_frame() {
        SwitchFixture f = SwitchFixture.learning();
        io.vxswitch.forwarding.flow.FlowObserver observer = f.sw.observeFlows(1, 1 << 16)[0];
        org.agrona.concurrent.MessageHandler discard = (type, buffer, index, length) -> { };
        MemorySegment ping = MemorySegment.ofArray(new byte[128]);
        int pingLength = io.vxswitch.packet.FrameBuilder.icmpEcho(ping, 0, VM1, VM2, 0xc0000201, 0xc0000202, true, 1,
            1);
        MemorySegment[] frames = {untagged(VM2, VM1), untagged(BROADCAST, VM1), ping.asSlice(0, pingLength)};
        int vm1 = f.sw.port("vm1").id();
        Runnable burst = () -> {
            for (int n = 0; n < 20_000; n++) {
                for (MemorySegment frame : frames) {
                    f.sw.forward(vm1, frame, 0, (int) frame.byteSize(), f.now++, f.d);
                }
                if (n % 100 == 0) {
                    observer.drain(discard);
                }
            }
        };
        long allocated = allocatedBy(burst);
        assertThat(observer.observed()).isGreaterThan(40_000);
        assertThat(allocated).isLessThan(64 * 1024);
    }

    /** A drop's reason is built into words only for a trace: a flood of refused frames must not allocate either. */
    @Test
    void dropping_allocates_nothing_per_frame() {
        SwitchFixture f = SwitchFixture.vdsDefaults();
        MemorySegment[] frames = {
            untagged(VM2, VM3), untagged(VM2, 0x01005e000001L), TestFrames.tagged(VM2, VM1, 120)};
        String[] in = {"nested", "vm1", "vm1"};
        DropReason[] why = {DropReason.FORGED_TRANSMIT, DropReason.MULTICAST_SOURCE, DropReason.VLAN_NOT_ALLOWED};
        int[] ports = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            ports[i] = f.sw.port(in[i]).id();
        }
        Runnable burst = () -> {
            for (int n = 0; n < 2_000; n++) {
                for (int i = 0; i < frames.length; i++) {
                    f.sw.forward(ports[i], frames[i], 0, (int) frames[i].byteSize(), f.now++, f.d);
                }
            }
        };
        long allocated = allocatedBy(burst);

        for (int i = 0; i < in.length; i++) {
            assertThat(f.drops(in[i], why[i])).as(why[i].counterName()).isGreaterThanOrEqualTo(26_000);
        }
        assertThat(allocated).isLessThan(64 * 1024);
    }

    /** ARP and ND suppression answer in place, snoop into a ring and count: per frame, nothing allocated either. */
    @Test
    void answering_arp_and_neighbour_solicitations_allocates_nothing_per_frame() {
        Switch sw = ArpSuppressionTest.hostSwitch();
        sw.arpSuppression().enable(119);
        sw.arpSuppression().bind(119, 0x0a00_0003, ArpSuppressionTest.VM3);
        sw.arpSuppression().bind(119, ArpSuppressionTest.DB8, 3, ArpSuppressionTest.VM3);
        ForwardingDecision d = sw.newDecision();
        int vm1 = sw.port("vm1").id();
        MemorySegment frame = MemorySegment.ofArray(new byte[86]);
        long vm1Mac = ArpSuppressionTest.VM1;
        long db8 = ArpSuppressionTest.DB8;
        Runnable burst = () -> {
            for (int n = 0; n < 2_000; n++) {
                int length = io.vxswitch.packet.FrameBuilder.arpRequest(frame, 0, vm1Mac, 0x0a00_0001, 0x0a00_0003);
                sw.forward(vm1, frame, 0, length, n, d); // answered
                length = io.vxswitch.packet.FrameBuilder.arpRequest(frame, 0, vm1Mac, 0x0a00_0001 + n, 0x0a00_0009);
                sw.forward(vm1, frame, 0, length, n, d); // flooded, a new sender offered to the snoop ring
                length = io.vxswitch.packet.FrameBuilder.neighborSolicitation(frame, 0, vm1Mac, db8, 1, db8, 3);
                sw.forward(vm1, frame, 0, length, n, d); // answered
                length = io.vxswitch.packet.FrameBuilder.neighborSolicitation(frame, 0, vm1Mac, db8, 1 + n, db8, 9);
                sw.forward(vm1, frame, 0, length, n, d); // flooded, offered
            }
        };
        long allocated = allocatedBy(burst);
        assertThat(sw.port("vm1").counters().get(PortCounter.ND_SUPPRESSED)).isGreaterThanOrEqualTo(26_000);
        assertThat(allocated).isLessThan(64 * 1024);
    }

    /** Traffic shaping is arithmetic on the port's buckets: passing or dropping, nothing allocated. */
    @Test
    void shaping_allocates_nothing_per_frame() {
        SwitchFixture f = SwitchFixture.vdsDefaults();
        var shaped = new io.vxswitch.forwarding.policy.TrafficShapingPolicy(100_000_000, 200_000_000, 64 * 1024);
        var vlan119 = f.sw.portGroup("vlan119").policy();
        f.sw.updatePortGroup(vlan119.withShaping(new io.vxswitch.forwarding.policy.PortShaping(shaped, shaped)));
        MemorySegment[] frames = {untagged(VM2, VM1), untagged(BROADCAST, VM1), untagged(VM1, VM2)};
        String[] in = {"vm1", "vm1", "vm2"};
        int[] ports = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            ports[i] = f.sw.port(in[i]).id();
        }
        Runnable burst = () -> {
            for (int n = 0; n < 2_000; n++) {
                for (int i = 0; i < frames.length; i++) {
                    f.sw.forward(ports[i], frames[i], 0, (int) frames[i].byteSize(), f.now, f.d);
                }
                f.now += 1_000; // 60-byte frames every microsecond: some pass, most are dropped
            }
        };
        long allocated = allocatedBy(burst);
        assertThat(f.drops("vm1", DropReason.INGRESS_SHAPING)).isGreaterThan(10_000);
        assertThat(allocated).isLessThan(64 * 1024);
    }

    /** Port mirroring is table lookups, a countdown and counts: sampled, truncated, VLAN-selected, nothing allocated. */
    @Test
    void mirroring_allocates_nothing_per_frame() {
        SwitchFixture f = SwitchFixture.vdsDefaults();
        f.sw.addVnicPort("analyzer", "vlan119", 0x005056000099L);
        f.sw.addMirror(io.vxswitch.forwarding.mirror.MirrorSession.span("s1", java.util.List.of("vm1"),
            java.util.List.of(new io.vxswitch.forwarding.policy.VlanRange(119, 119)),
            io.vxswitch.forwarding.mirror.MirrorDirection.BOTH, "analyzer").withTruncate(60).withSample(2));
        MemorySegment[] frames = {untagged(VM2, VM1), untagged(BROADCAST, VM1), untagged(VM1, VM2)};
        String[] in = {"vm1", "vm1", "vm2"};
        int[] ports = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            ports[i] = f.sw.port(in[i]).id();
        }
        MemorySegment out = MemorySegment.ofArray(new byte[128]);
        Runnable burst = () -> {
            for (int n = 0; n < 2_000; n++) {
                for (int i = 0; i < frames.length; i++) {
                    f.sw.forward(ports[i], frames[i], 0, (int) frames[i].byteSize(), f.now++, f.d);
                    for (int e = 0; e < f.d.egressCount(); e++) {
                        if (f.d.isMirrorCopy(e)) {
                            f.d.prepareMirrorCopy(e);
                        }
                        f.d.writeEgress(e, out, 0);
                    }
                }
            }
        };
        long allocated = allocatedBy(burst);
        assertThat(f.sw.mirror("s1").counters().get(io.vxswitch.forwarding.mirror.MirrorCounter.FRAMES))
            .isGreaterThan(30_000);
        assertThat(allocated).isLessThan(64 * 1024);
    }

    /** An ERSPAN session's copies are the same table lookups plus the loop guard's look at IPv4 frames. */
    @Test
    void mirroring_to_erspan_allocates_nothing_per_frame() {
        SwitchFixture f = SwitchFixture.vdsDefaults();
        f.sw.addMirror(io.vxswitch.forwarding.mirror.MirrorSession.erspan("e1", java.util.List.of("vm1"),
            java.util.List.of(new io.vxswitch.forwarding.policy.VlanRange(119, 119)),
            io.vxswitch.forwarding.mirror.MirrorDirection.BOTH, io.vxswitch.forwarding.mirror.ErspanDestination.typeII(
                io.vxswitch.forwarding.mirror.ErspanDestination.parseAddress("198.51.100.2", "remote"), 1))
            .withTruncate(60));
        MemorySegment[] frames = {untagged(VM2, VM1), untagged(BROADCAST, VM1), untagged(VM1, VM2)};
        String[] in = {"vm1", "vm1", "vm2"};
        int[] ports = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            ports[i] = f.sw.port(in[i]).id();
        }
        MemorySegment out = MemorySegment.ofArray(new byte[128]);
        Runnable burst = () -> {
            for (int n = 0; n < 2_000; n++) {
                for (int i = 0; i < frames.length; i++) {
                    f.sw.forward(ports[i], frames[i], 0, (int) frames[i].byteSize(), f.now++, f.d);
                    for (int e = 0; e < f.d.egressCount(); e++) {
                        if (f.d.isMirrorCopy(e)) {
                            f.d.prepareMirrorCopy(e);
                        }
                        f.d.writeEgress(e, out, 0);
                    }
                }
            }
        };
        long allocated = allocatedBy(burst);
        assertThat(f.sw.mirror("e1").counters().get(io.vxswitch.forwarding.mirror.MirrorCounter.FRAMES))
            .isGreaterThan(60_000);
        assertThat(allocated).isLessThan(64 * 1024);
    }

    /** Bytes this thread allocates in 10 runs of {@code burst}, after 3 to warm up. */
    private static long allocatedBy(Runnable burst) {
        for (int i = 0; i < 3; i++) {
            burst.run();
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 10; i++) {
            burst.run();
        }
        return threads.getThreadAllocatedBytes(tid) - before;
    }
}
