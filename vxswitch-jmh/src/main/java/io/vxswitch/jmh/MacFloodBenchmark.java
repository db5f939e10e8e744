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
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * Does a MAC flood on one lane slow down the forwarding of known MACs on another? Two threads share one switch:
 * {@link #known} forwards frames between learned MACs on lane 0 (as {@link LanesBenchmark} does), while
 * {@link #flood} sends, on lane 1, frames from ever new source MACs from a port already at its MAC limit (limit
 * policy drop): each is refused without the FDB's lock, counted, and dropped. Group {@code quiet} runs {@link #known}
 * with the other thread idle in {@link #idle}, so both groups keep the same threads on the machine. Compare
 * {@code known} in the two groups.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MacFloodBenchmark {
    static final int MACS = 64;
    static final int FLOOD_MACS = 4096;
    static final int LIMIT = 64;

    @State(Scope.Group)
    public static class Host {
        Switch sw;
        int[] nested = new int[2];
        int attacker;

        @Setup(Level.Trial)
        public void build() {
            sw = new Switch(SwitchOptions.defaults("esxi").withMaxPorts(8).withLanes(2));
            sw.addPortGroup(new PortGroupPolicy("nested", VlanPolicy.access(119),
                SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true), MacLearningPolicy.ENABLED));
            sw.addPortGroup(new PortGroupPolicy("flooded", VlanPolicy.access(119),
                SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true),
                MacLearningPolicy.ENABLED.withLimit(LIMIT, MacLearningPolicy.LimitPolicy.DROP)));
            nested[0] = sw.addVnicPort("nested0", "nested", 0x005056000010L);
            nested[1] = sw.addVnicPort("nested1", "nested", 0x005056000011L);
            attacker = sw.addVnicPort("attacker", "flooded", 0x005056000012L);
            ForwardingDecision d = sw.newDecision();
            MemorySegment f = MemorySegment.ofArray(new byte[Ethernet60.LENGTH]);
            for (int side = 0; side < 2; side++) {
                for (int i = 0; i < MACS; i++) {
                    int length = Ethernet60.untagged(f, LanesBenchmark.behind(1 - side, 0), LanesBenchmark.behind(side, i));
                    sw.forward(nested[side], f, 0, length, EsxiHost.NOW, d);
                }
            }
            for (int i = 0; i < LIMIT; i++) {
                int length = Ethernet60.untagged(f, LanesBenchmark.behind(0, 0), flooder(i));
                sw.forward(attacker, f, 0, length, EsxiHost.NOW, d);
            }
            if (sw.fdb().learnedOn(nested[0]) != MACS || sw.fdb().learnedOn(nested[1]) != MACS
                || sw.fdb().learnedOn(attacker) != LIMIT) {
                throw new IllegalStateException("setup: the MACs behind the nested ports and the flooder's first "
                    + LIMIT + " were not learned");
            }
        }
    }

    /** The i-th source MAC of the flood: the first {@link #LIMIT} are learned, the rest are refused. */
    static long flooder(int i) {
        return 0x02bb00000000L | i;
    }

    @State(Scope.Thread)
    public static class KnownLane {
        ForwardingLane lane;
        ForwardingDecision decision;
        MemorySegment[] frames = new MemorySegment[MACS];
        int length;
        int inPort;
        int next;
        long now = EsxiHost.NOW;

        @Setup(Level.Trial)
        public void build(Host h) {
            lane = h.sw.lane(0);
            decision = h.sw.newDecision();
            inPort = h.nested[0];
            for (int i = 0; i < MACS; i++) {
                frames[i] = MemorySegment.ofArray(new byte[Ethernet60.LENGTH]);
                length = Ethernet60.untagged(frames[i], LanesBenchmark.behind(1, i), LanesBenchmark.behind(0, i));
            }
        }
    }

    @State(Scope.Thread)
    public static class FloodLane {
        ForwardingLane lane;
        ForwardingDecision decision;
        MemorySegment[] frames = new MemorySegment[FLOOD_MACS];
        int length;
        int inPort;
        int next;
        long now = EsxiHost.NOW;

        @Setup(Level.Trial)
        public void build(Host h) {
            lane = h.sw.lane(1);
            decision = h.sw.newDecision();
            inPort = h.attacker;
            for (int i = 0; i < FLOOD_MACS; i++) {
                frames[i] = MemorySegment.ofArray(new byte[Ethernet60.LENGTH]);
                length = Ethernet60.untagged(frames[i], LanesBenchmark.behind(0, 0), flooder(LIMIT + i));
            }
        }
    }

    /** One decision on lane 0: refresh of a learned source, lookup of a learned destination, one copy. */
    @Benchmark
    @Group("flood")
    @GroupThreads(1)
    public int known(KnownLane l) {
        return decideKnown(l);
    }

    /** One frame of the flood on lane 1: a new source MAC beyond the port's limit, dropped. */
    @Benchmark
    @Group("flood")
    @GroupThreads(1)
    public int flood(FloodLane l) {
        int i = l.next++ & (FLOOD_MACS - 1);
        l.lane.forward(l.inPort, l.frames[i], 0, l.length, ++l.now, l.decision);
        return l.decision.egressCount();
    }

    /** {@link #known} without a flood beside it. */
    @Benchmark
    @Group("quiet")
    @GroupThreads(1)
    public int knownQuiet(KnownLane l) {
        return decideKnown(l);
    }

    /** The other thread of group {@code quiet}: does nothing the first thread could feel. */
    @Benchmark
    @Group("quiet")
    @GroupThreads(1)
    public void idle() {
    }

    private static int decideKnown(KnownLane l) {
        int i = l.next++ & (MACS - 1);
        l.lane.forward(l.inPort, l.frames[i], 0, l.length, ++l.now, l.decision);
        return l.decision.egressCount();
    }
}
