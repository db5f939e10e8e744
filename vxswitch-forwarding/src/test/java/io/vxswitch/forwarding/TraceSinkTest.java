package io.vxswitch.forwarding;

import io.vxswitch.forwarding.fdb.Fdb;
import io.vxswitch.forwarding.fdb.LearnOutcome;
import io.vxswitch.forwarding.trace.TraceSink;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.vxswitch.forwarding.SwitchFixture.*;
import static io.vxswitch.forwarding.TestFrames.BROADCAST;
import static io.vxswitch.forwarding.TestFrames.untagged;
import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline reports each step of a decision as a typed event, in order; the words are the sink's business. */
class TraceSinkTest {

    /** Writes each event down as a short line, to compare with what the decision did. */
    static final class Recorder implements TraceSink {
        final List<String> events = new ArrayList<>();

        @Override
        public void received(int inPort, MemorySegment frame, long offset, int length) {
            events.add("received " + inPort + " " + length);
        }

        @Override
        public void classified(int vlan) {
            events.add("classified " + vlan);
        }

        @Override
        public void sourceChecked(boolean forged) {
            events.add("source " + (forged ? "forged" : "own"));
        }

        @Override
        public void learned(int vlan, LearnOutcome outcome) {
            events.add("learned " + vlan + " " + outcome);
        }

        @Override
        public void notLearned(boolean reflected) {
            events.add("not learned" + (reflected ? ": reflection" : ""));
        }

        @Override
        public void destination(int vlan, long dst, int port, int remote) {
            events.add("destination " + vlan + " " + Long.toHexString(dst) + " " + port + " " + remote);
        }

        @Override
        public void flooded(Flood how, int vlan) {
            events.add("flooded " + how + " " + vlan);
        }

        @Override
        public void forwarded(ForwardingDecision decision) {
            events.add("forwarded " + decision.egressCount());
        }

        @Override
        public void dropped(DropReason reason) {
            events.add("dropped " + reason);
        }
    }

    private static List<String> report(SwitchFixture f, String port, MemorySegment frame) {
        Recorder r = new Recorder();
        new ForwardingPipeline(f.sw, 0).forward(f.sw.port(port), Fdb.NO_REMOTE, 0, frame, 0, (int) frame.byteSize(),
            f.now, f.d, r, false);
        return r.events;
    }

    @Test
    void a_learned_and_forwarded_frame_is_reported_step_by_step() {
        SwitchFixture f = SwitchFixture.learning();
        assertThat(report(f, "nested", untagged(VM1, VM3))).containsExactly("received 4 60", "classified 119",
            "source forged", "learned 119 LEARNED", "destination 119 5056000001 2 -1", "forwarded 1");
    }

    @Test
    void a_vnics_own_mac_is_reported_as_a_vnic_mac_without_asking_the_fdb() {
        SwitchFixture f = SwitchFixture.learning();
        assertThat(report(f, "nested", untagged(BROADCAST, NESTED))).containsExactly("received 4 60", "classified 119",
            "source own", "learned 119 VNIC_MAC", "flooded BUM 119", "forwarded 3");
    }

    @Test
    void a_drop_is_reported_as_a_reason_not_words() {
        SwitchFixture f = SwitchFixture.vdsDefaults();
        assertThat(report(f, "nested", untagged(VM1, VM3))).containsExactly("received 4 60", "classified 119",
            "dropped FORGED_TRANSMIT");
    }
}
