package io.vxswitch.jmh;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.ForwardingLane;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.jmh.EsxiHost.Ethernet60;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * How forwarding scales with threads that share one switch, each on its own {@link ForwardingLane}: run it with
 * {@code -t 1} and {@code -t 2} and compare the total decisions per second. Each decision learns (refreshes) its
 * source MAC and looks up its destination in the shared FDB, on the learning port group, as frames between two nested
 * hypervisors do. What the threads share is the FDB's entries and its lock word (read only, unless a MAC is new).
 *
 * <p>{@link Sharing#OWN_MACS}: each thread's frames come from MACs of its own (two VMs' flows read from two queues).
 * {@link Sharing#SAME_MACS}: both threads send from the same MACs (one VM's flows spread over two queues), so both
 * write the same entries' last-seen times.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LanesBenchmark {
    static final int MACS = 64;

    public enum Sharing { OWN_MACS, SAME_MACS }

    @State(Scope.Benchmark)
    public static class Host {
        @Param
        Sharing sharing;

        Switch sw;
        int[] nested = new int[2];

        @Setup(Level.Trial)
        public void build() {
            sw = new Switch(SwitchOptions.defaults("esxi").withMaxPorts(8).withLanes(2));
            sw.addPortGroup(new PortGroupPolicy("nested", VlanPolicy.access(119),
                SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true), MacLearningPolicy.ENABLED));
            nested[0] = sw.addVnicPort("nested0", "nested", 0x005056000010L);
            nested[1] = sw.addVnicPort("nested1", "nested", 0x005056000011L);
            ForwardingDecision d = sw.newDecision();
            MemorySegment f = MemorySegment.ofArray(new byte[Ethernet60.LENGTH]);
            for (int side = 0; side < 2; side++) {
                for (int i = 0; i < MACS; i++) {
                    int length = Ethernet60.untagged(f, behind(1 - side, 0), behind(side, i));
                    sw.forward(nested[side], f, 0, length, EsxiHost.NOW, d);
                }
            }
            if (sw.fdb().learnedOn(nested[0]) != MACS || sw.fdb().learnedOn(nested[1]) != MACS) {
                throw new IllegalStateException("setup: MACs behind the nested ports were not learned");
            }
        }
    }

    /** The MAC of VM {@code i} behind nested hypervisor {@code side}. */
    static long behind(int side, int i) {
        return 0x525400000000L | (long) side << 16 | i;
    }

    @State(Scope.Thread)
    public static class Lane {
        ForwardingLane lane;
        ForwardingDecision decision;
        MemorySegment[] frames = new MemorySegment[MACS];
        int length;
        int inPort;
        int next;
        long now = EsxiHost.NOW;

        @Setup(Level.Trial)
        public void build(Host h, ThreadParams t) {
            int index = t.getThreadIndex();
            lane = h.sw.lane(index);
            decision = h.sw.newDecision();
            int side = h.sharing == Sharing.OWN_MACS ? index : 0;
            inPort = h.nested[side];
            for (int i = 0; i < MACS; i++) {
                frames[i] = MemorySegment.ofArray(new byte[Ethernet60.LENGTH]);
                length = Ethernet60.untagged(frames[i], behind(1 - side, i), behind(side, i));
            }
        }
    }

    /** One decision: refresh of a learned source, lookup of a learned destination, one copy. */
    @Benchmark
    public int decide(Lane l) {
        int i = l.next++ & (MACS - 1);
        l.lane.forward(l.inPort, l.frames[i], 0, l.length, ++l.now, l.decision);
        return l.decision.egressCount();
    }
}
