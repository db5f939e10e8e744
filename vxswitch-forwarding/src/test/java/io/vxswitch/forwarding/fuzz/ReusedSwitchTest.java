package io.vxswitch.forwarding.fuzz;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.fuzz.Corpus;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline fuzz target runs every input on one switch, {@link FuzzSwitch#reset} in between, and a finding must
 * still reproduce from its input alone, on a new switch. So every script of the committed corpus, run on a switch that
 * has just run all the others (in order, then in reverse order), is decided frame by frame as on a new switch and
 * leaves the same MAC table. A reset that forgot some state the frames change shows here as a script whose decisions
 * depend on the one before it.
 */
class ReusedSwitchTest {
    @Test
    void a_reset_switch_decides_every_frame_of_the_corpus_as_a_new_switch_does() {
        List<Path> files = Corpus.files(SwitchFuzzTest.class);
        List<byte[]> inputs = files.stream().map(Corpus::read).toList();
        List<String> fresh = inputs.stream().map(input -> outcome(new FuzzSwitch(), input)).toList();
        FuzzSwitch reused = new FuzzSwitch();
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < inputs.size(); k++) {
                int i = pass == 0 ? k : inputs.size() - 1 - k;
                reused.reset();
                assertThat(outcome(reused, inputs.get(i)))
                    .as("%s on a reset switch, pass %d", files.get(i).getFileName(), pass)
                    .isEqualTo(fresh.get(i));
            }
        }
    }

    /** Each frame's decision (drop reason, or each copy's port, tag and length), then the MAC table left. */
    private static String outcome(FuzzSwitch f, byte[] input) {
        StringBuilder out = new StringBuilder();
        for (FrameScript.Step step : FrameScript.decode(input)) {
            f.run(step);
            ForwardingDecision d = f.decision;
            if (d.dropped()) {
                out.append(d.dropReason());
            }
            for (int i = 0; i < d.egressCount(); i++) {
                out.append(d.egressPort(i)).append('/').append(d.egressTag(i)).append('/').append(d.egressLength(i))
                    .append(' ');
            }
            out.append('\n');
        }
        return out.append(f.sw.showFdb(f.now)).toString();
    }
}
