package io.vxswitch.forwarding;

import io.vxswitch.forwarding.trace.Trace;
import io.vxswitch.forwarding.trace.Trace.Stage;
import org.junit.jupiter.api.Test;

import static io.vxswitch.forwarding.SwitchFixture.*;
import static io.vxswitch.forwarding.TestFrames.untagged;
import static org.assertj.core.api.Assertions.assertThat;

class TraceTest {

    @Test
    void a_trace_tells_each_stage_of_a_learning_decision() {
        SwitchFixture f = SwitchFixture.learning();
        Trace t = f.trace("nested", untagged(VM1, VM3));
        assertThat(t.steps()).extracting(Trace.Step::stage)
            .containsSubsequence(Stage.FRAME, Stage.INGRESS, Stage.SECURITY, Stage.LEARNING, Stage.LOOKUP, Stage.RESULT);
        String text = t.render();
        assertThat(text).contains("in_port nested").contains("-> VLAN 119").contains("forged transmits accept")
            .contains("52:54:00:00:00:03 VLAN 119 learned on port nested")
            .contains("00:50:56:00:00:01 VLAN 119 is on port vm1")
            .contains("forward to vm1 (untagged)");
        assertThat(text.lines().findFirst().orElseThrow()).startsWith(" 1. frame");
    }

    @Test
    void a_trace_names_the_drop_reason() {
        SwitchFixture f = SwitchFixture.vdsDefaults();
        String text = f.trace("nested", untagged(VM1, VM3)).render();
        assertThat(text).contains("drop (forged_transmit)").contains("forged transmits is reject");
    }

    @Test
    void a_traced_decision_is_the_same_decision() {
        SwitchFixture f = SwitchFixture.promiscuous(false);
        f.trace("vm1", untagged(VM3, VM1));
        var traced = f.egress();
        f.send("vm1", untagged(VM3, VM1));
        assertThat(f.egress()).isEqualTo(traced);
    }
}
