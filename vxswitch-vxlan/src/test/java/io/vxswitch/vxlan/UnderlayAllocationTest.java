package io.vxswitch.vxlan;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.fuzz.Corpus;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The receive path allocates nothing on malformed or hostile underlay packets either: the committed corpus of
 * {@link DecapsulationFuzzTest} (cut and inconsistent outer headers, bad checksums, fragments, wrong ports, flags and
 * VNIs, senders that cannot be VTEPs, one VTEP too many) replayed through one VTEP and its switch, counted by the JVM
 * for this thread as {@code AllocationTest} counts the well-formed path. Registering a new remote VTEP allocates once
 * per VTEP; the warm-up registers every sender the corpus has.
 */
class UnderlayAllocationTest {
    @Test
    void replaying_the_decapsulation_corpus_allocates_nothing_per_packet() {
        // arrays, not lists: a for-each over a list allocates an iterator, which would be counted as the VTEP's
        UnderlayScript.Packet[][] scripts = Corpus.files(DecapsulationFuzzTest.class).stream()
            .map(f -> UnderlayScript.decode(Corpus.read(f)).packets().toArray(UnderlayScript.Packet[]::new))
            .toArray(UnderlayScript.Packet[][]::new);
        long packets = java.util.Arrays.stream(scripts).mapToLong(s -> s.length).sum();
        assertThat(packets).as("packets in the committed corpus").isGreaterThan(1_000);
        Switch sw = DecapsulationFuzzTest.hostSwitch();
        VniMap vnis = VniMap.of(119, 119, 120, 120);
        RemoteVteps remotes = new RemoteVteps(UnderlayScript.VTEP_IDS);
        VxlanCounters counters = new VxlanCounters();
        Vtep vtep = new Vtep(sw, "vx", vnis, remotes, new FloodList(remotes),
            new VxlanDecapsulator(vnis, DecapOptions.defaults(), counters), counters);
        remotes.serve(sw);
        TunnelIngress ingress = new TunnelIngress(vtep, sw.lane(0));
        ForwardingDecision d = sw.newDecision();
        long[] now = {0};
        Runnable replay = () -> {
            for (UnderlayScript.Packet[] script : scripts) {
                for (UnderlayScript.Packet p : script) {
                    p.receive(ingress, now[0]++, d);
                }
            }
        };
        for (int i = 0; i < 5; i++) {
            replay.run();
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long least = Long.MAX_VALUE;
        for (int window = 0; window < 5 && least > 0; window++) {
            long before = threads.getThreadAllocatedBytes(tid);
            replay.run();
            least = Math.min(least, threads.getThreadAllocatedBytes(tid) - before);
        }
        assertThat(least).as("bytes allocated replaying %d packets", packets).isLessThan(16 * 1024);
    }
}
