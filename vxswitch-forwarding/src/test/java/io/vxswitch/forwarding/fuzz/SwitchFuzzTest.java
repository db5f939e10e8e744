package io.vxswitch.forwarding.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vxswitch.fuzz.Corpus;
import org.junit.jupiter.api.Test;

/**
 * The forwarding pipeline fed any frames on any port, VLAN and time (a {@link FrameScript} of up to 1,024, MAC floods
 * included), through a switch with every kind of port group ({@link FuzzSwitch}): nothing escapes but a decision,
 * and the {@link PipelineInvariants} hold after every frame and for the whole script. One switch serves every input,
 * reset before each ({@link ReusedSwitchTest} shows that the reset leaves nothing behind). The committed corpus is
 * also replayed by {@link CorpusAllocationTest}, which counts the bytes the pipeline allocates doing so.
 */
class SwitchFuzzTest {
    /** Built on first use: in a JVM that runs no input of this target, never. */
    private static final class Shared {
        static final FuzzSwitch SWITCH = new FuzzSwitch();
        static final PipelineInvariants INVARIANTS = new PipelineInvariants(SWITCH);
    }

    @Test
    void committed_corpus_replays_clean() {
        Corpus.replay(getClass(), this::frames_on_any_port_are_forwarded_or_dropped_by_a_named_reason);
    }

    @FuzzTest
    void frames_on_any_port_are_forwarded_or_dropped_by_a_named_reason(byte[] input) {
        FuzzSwitch f = Shared.SWITCH;
        PipelineInvariants invariants = Shared.INVARIANTS;
        f.reset();
        invariants.startScript();
        for (FrameScript.Step step : FrameScript.decode(input)) {
            f.run(step);
            invariants.afterFrame(step);
        }
        invariants.afterScript();
    }
}
