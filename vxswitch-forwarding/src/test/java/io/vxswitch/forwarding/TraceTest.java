package io.vxswitch.forwarding;

import io.vxswitch.forwarding.trace.Trace.Stage;
import io.vxswitch.forwarding.trace.Trace;
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

    @Test
    void a_probe_tells_the_decision_but_learns_and_counts_nothing() {
        SwitchFixture f = SwitchFixture.learning();
        int fdbBefore = f.sw.fdb().size();
        Trace t = f.probe("nested", untagged(VM1, VM3));
        assertThat(t.render()).contains("52:54:00:00:00:03 VLAN 119 learned on port nested (probe: FDB unchanged)")
            .contains("would forward to vm1");
        assertThat(f.egress()).as("the decision is still made").containsExactly("vm1");
        assertThat(f.sw.fdb().size()).as("FDB entries").isEqualTo(fdbBefore);
        assertThat(f.sw.fdb().portOf(119, VM3)).isEqualTo(io.vxswitch.forwarding.fdb.Fdb.NOT_FOUND);
        assertThat(f.sw.port("nested").counters().get(PortCounter.RX_FRAMES)).isZero();
        assertThat(f.sw.port("vm1").counters().get(PortCounter.TX_FRAMES)).isZero();

        // a real frame afterwards learns as usual
        f.send("nested", untagged(VM1, VM3));
        assertThat(f.sw.fdb().portOf(119, VM3)).isNotEqualTo(io.vxswitch.forwarding.fdb.Fdb.NOT_FOUND);
        assertThat(f.probe("nested", untagged(VM1, VM3)).render()).contains("refreshed on port nested (probe");
    }

    @Test
    void a_probe_that_is_dropped_counts_no_drop() {
        SwitchFixture f = SwitchFixture.vdsDefaults();
        assertThat(f.probe("nested", untagged(VM1, VM3)).render()).contains("drop (forged_transmit)");
        assertThat(f.drops("nested", DropReason.FORGED_TRANSMIT)).isZero();
    }
}
