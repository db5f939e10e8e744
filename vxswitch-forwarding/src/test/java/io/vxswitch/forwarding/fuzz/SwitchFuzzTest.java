package io.vxswitch.forwarding.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vxswitch.fuzz.Corpus;
import org.junit.jupiter.api.Test;

/**
 * The forwarding pipeline fed any frames on any port, VLAN and time (a {@link FrameScript} of up to 1,024, MAC floods
 * included), through a switch with every kind of port group ({@link FuzzSwitch}): nothing escapes but a decision,
 * and the {@link PipelineInvariants} hold after every frame and for the whole script. The committed corpus is also replayed by
 * {@link CorpusAllocationTest}, which counts the bytes the pipeline allocates doing so.
 */
class SwitchFuzzTest {
    @Test
    void committed_corpus_replays_clean() {
        Corpus.replay(getClass(), this::frames_on_any_port_are_forwarded_or_dropped_by_a_named_reason);
    }

    @FuzzTest
    void frames_on_any_port_are_forwarded_or_dropped_by_a_named_reason(byte[] input) {
        FuzzSwitch f = new FuzzSwitch();
        PipelineInvariants invariants = new PipelineInvariants(f);
        for (FrameScript.Step step : FrameScript.decode(input)) {
            f.run(step);
            invariants.afterFrame(step);
        }
        invariants.afterScript();
    }
}
