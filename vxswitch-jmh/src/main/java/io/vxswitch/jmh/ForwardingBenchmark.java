package io.vxswitch.jmh;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.jmh.EsxiHost.Ethernet60;
import io.vxswitch.packet.MacAddress;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Forwarding decisions per second on one core: {@link Switch#forward} on one pre-built frame, again and again.
 * One op is one decision (parse, ingress VLAN, security, learning, lookup or flood set, counters);
 * {@link #decideAndCopy} also writes every copy with {@link ForwardingDecision#writeEgress}, tag pushed or popped,
 * into a transmit buffer, so the difference between the two is the cost of the copies.
 *
 * <p>Frames are minimum size (60 bytes, 64 tagged), the worst case per byte. The frame and transmit buffers are
 * either heap segments or native segments of a shared arena ({@link Memory}); one fork sees only one kind.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ForwardingBenchmark {

    /** The frames measured. Each names the ingress port, the frame, and the egress ports the decision must list. */
    public enum Scenario {
        /** (a) vm1 → vm2, VLAN 119: a MAC the VDS knows without learning. One copy. */
        KNOWN_UNICAST("vm1", EsxiHost.vm(2), EsxiHost.vm(1), 0, "vm2"),
        /** (b) vm1 → a VM behind the nested hypervisor, learned in the FDB on the learning port group. One copy. */
        LEARNED_UNICAST("vm1", EsxiHost.BEHIND_NESTED, EsxiHost.vm(1), 0, "nested"),
        /** (c) vm1 → an unknown MAC: the pinned uplink and the port that learns and takes floods. Two copies. */
        UNKNOWN_UNICAST("vm1", EsxiHost.NOWHERE, EsxiHost.vm(1), 0, "uplink1", "nested"),
        /** (d) vm1 → broadcast: the other seven vNICs of VLAN 119 and the pinned uplink. Eight copies. */
        BROADCAST("vm1", MacAddress.BROADCAST, EsxiHost.vm(1), 0,
            "vm2", "vm3", "vm4", "vm5", "vm6", "vm7", "nested", "uplink1"),
        /** (e) From the physical network: tagged VLAN 119 on uplink1 → vm1, leaves untagged. One copy. */
        FROM_UPLINK("uplink1", EsxiHost.vm(1), EsxiHost.OUTSIDE, 119, "vm1");

        final String inPort;
        final long dst;
        final long src;
        /** 802.1Q VID of the ingress frame, 0 for untagged. */
        final int vid;
        final List<String> egress;

        Scenario(String inPort, long dst, long src, int vid, String... egress) {
            this.inPort = inPort;
            this.dst = dst;
            this.src = src;
            this.vid = vid;
            this.egress = List.of(egress);
        }
    }

    public enum Memory {
        /** {@code MemorySegment.ofArray(byte[])}. */
        HEAP,
        /** {@code Arena.ofShared().allocate(...)}, as a Linux poll loop's receive ring would be. */
        NATIVE
    }

    @State(Scope.Thread)
    public static class Host {
        /** Room for one copy of a 64-byte frame in the transmit buffer, cache-line aligned. */
        static final int TX_SLOT = 128;

        @Param
        Scenario scenario;
        @Param
        Memory memory;
        /**
         * Extra idle vNICs in VLAN 120 (see {@link EsxiHost}); 0 in the standard run. Measures how the cost of a
         * decision grows with the number of ports on the host.
         */
        @Param("0")
        int idleVnics;

        Switch sw;
        ForwardingDecision decision;
        int inPort;
        MemorySegment frame;
        int length;
        MemorySegment tx;
        long now;
        private Arena arena;

        @Setup(Level.Trial)
        public void build() {
            EsxiHost host = new EsxiHost(idleVnics);
            sw = host.sw;
            decision = sw.newDecision();
            inPort = host.port(scenario.inPort);
            now = EsxiHost.NOW;
            MemorySegment built = MemorySegment.ofArray(new byte[Ethernet60.TAGGED_LENGTH]);
            length = scenario.vid == 0
                ? Ethernet60.untagged(built, scenario.dst, scenario.src)
                : Ethernet60.tagged(built, scenario.dst, scenario.src, scenario.vid);
            long txSize = (long) TX_SLOT * sw.options().maxPorts();
            if (memory == Memory.NATIVE) {
                arena = Arena.ofShared();
                frame = arena.allocate(built.byteSize(), 64);
                tx = arena.allocate(txSize, 64);
            } else {
                frame = MemorySegment.ofArray(new byte[(int) built.byteSize()]);
                tx = MemorySegment.ofArray(new byte[(int) txSize]);
            }
            frame.copyFrom(built);
            check();
        }

        /** Refuses to measure a scenario whose decision is not the one it is named after (a drop, a wrong port). */
        private void check() {
            sw.forward(inPort, frame, 0, length, now, decision);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < decision.egressCount(); i++) {
                got.add(sw.port(decision.egressPort(i)).name());
            }
            String[] want = scenario.egress.toArray(String[]::new);
            String[] have = got.toArray(String[]::new);
            Arrays.sort(want);
            Arrays.sort(have);
            if (decision.dropped() || !Arrays.equals(want, have)) {
                throw new IllegalStateException("scenario " + scenario + ": expected egress " + scenario.egress
                    + ", got " + (decision.dropped() ? "drop (" + decision.dropReason() + ")" : got));
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            if (arena != null) {
                arena.close();
            }
        }
    }

    /** One forwarding decision. */
    @Benchmark
    public int decide(Host h) {
        h.sw.forward(h.inPort, h.frame, 0, h.length, h.now, h.decision);
        return h.decision.egressCount();
    }

    /** One forwarding decision and every copy it names written to the transmit buffer, one slot per copy. */
    @Benchmark
    public int decideAndCopy(Host h) {
        ForwardingDecision d = h.decision;
        h.sw.forward(h.inPort, h.frame, 0, h.length, h.now, d);
        int bytes = 0;
        for (int i = 0; i < d.egressCount(); i++) {
            bytes += d.writeEgress(i, h.tx, (long) i * Host.TX_SLOT);
        }
        return bytes;
    }
}
