package io.vxswitch.forwarding.fuzz;

import io.vxswitch.fuzz.Corpus;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data path allocates nothing on malformed or hostile input either: the whole committed corpus of
 * {@link SwitchFuzzTest} (runts, cut tags, reserved VIDs, forged and multicast sources, MAC floods past every limit,
 * moves that freeze, ARP answered in place, aging) replayed through one switch, counted by the JVM for this thread as
 * {@code AllocationTest} counts the well-formed path. Not a fuzz test: it runs the same way with or without Jazzer.
 */
class CorpusAllocationTest {
    @Test
    void replaying_the_fuzz_corpus_allocates_nothing_per_frame() {
        // arrays, not lists: a for-each over a list allocates an iterator, which would be counted as the switch's
        FrameScript.Step[][] scripts = Corpus.files(SwitchFuzzTest.class).stream()
            .map(file -> FrameScript.decode(Corpus.read(file)).toArray(FrameScript.Step[]::new))
            .toArray(FrameScript.Step[][]::new);
        long frames = java.util.Arrays.stream(scripts).mapToLong(s -> s.length).sum();
        assertThat(frames).as("frames in the committed corpus").isGreaterThan(1_000);
        FuzzSwitch f = new FuzzSwitch();
        Runnable replay = () -> {
            for (FrameScript.Step[] script : scripts) {
                for (FrameScript.Step step : script) {
                    f.run(step);
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
        // A 16-byte object per frame would be 16 x frames bytes; the slack is for one-off JVM work, not per frame.
        assertThat(least).as("bytes allocated replaying %d frames", frames).isLessThan(16 * 1024);
    }

}
