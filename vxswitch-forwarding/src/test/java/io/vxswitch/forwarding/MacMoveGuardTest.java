package io.vxswitch.forwarding;

import io.vxswitch.forwarding.fdb.MacMoveGuard;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.trace.Trace;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static io.vxswitch.forwarding.TestFrames.untagged;
import static org.assertj.core.api.Assertions.assertThat;

/** A MAC bouncing between two learning ports: counted, logged as flapping, and (with a hold) frozen on its first port. */
class MacMoveGuardTest {
    static final long SECOND = 1_000_000_000L;
    static final long LOOPED = 0x020000000099L;
    static final long OTHER = 0x020000000001L;

    final Switch sw = new Switch(SwitchOptions.defaults("esxi").withMaxPorts(8));
    final ForwardingDecision d = sw.newDecision();
    long now = SECOND;

    MacMoveGuardTest() {
        sw.addPortGroup(new PortGroupPolicy("nested", VlanPolicy.access(119),
            SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true), MacLearningPolicy.ENABLED));
        sw.addVnicPort("a", "nested", 0x005056000001L);
        sw.addVnicPort("b", "nested", 0x005056000002L);
    }

    ForwardingDecision from(String port) {
        MemorySegment f = untagged(OTHER, LOOPED);
        sw.forward(sw.port(port).id(), f, 0, (int) f.byteSize(), now, d);
        now += SECOND / 10;
        return d;
    }

    String learnedOn() {
        return sw.port(sw.fdb().entryPort(sw.fdb().entryId(119, LOOPED))).name();
    }

    @Test
    void moves_within_the_limit_are_counted_and_summarised_once_per_interval() {
        assertThat(sw.macMoveLog().poll(now)).isEmpty();
        from("a");
        from("b");
        from("a");
        assertThat(sw.fdb().stats().moved()).isEqualTo(2);
        assertThat(sw.macMoveLog().poll(now)).as("no flap, and the summary interval has not passed").isEmpty();
        now += 10 * SECOND;
        assertThat(sw.macMoveLog().poll(now)).containsExactly(
            "2 MAC moves in the last 10 s (the last: 02:00:00:00:00:99 VLAN 119 from port b to a)");
        now += 10 * SECOND;
        assertThat(sw.macMoveLog().poll(now)).as("nothing moved since").isEmpty();
    }

    @Test
    void a_flapping_mac_is_logged_once_and_keeps_moving_without_a_hold() {
        for (int i = 0; i < 8; i++) {
            from(i % 2 == 0 ? "a" : "b");
        }
        assertThat(sw.fdb().stats().flaps()).isEqualTo(1);
        assertThat(sw.macMoveLog().poll(now)).singleElement().asString()
            .startsWith("MAC 02:00:00:00:00:99 VLAN 119 is flapping: more than 5 moves in 10 s")
            .contains("check for a loop or a duplicate MAC");
        assertThat(learnedOn()).as("detection only: it follows the last frame").isEqualTo("b");
        assertThat(sw.macMoveLog().poll(now)).as("each flap is logged once").isEmpty();
    }

    @Test
    void with_a_hold_the_mac_is_frozen_on_its_first_port_and_frames_from_elsewhere_are_dropped() {
        sw.setMacMoveGuard(new MacMoveGuard.Options(3, 10 * SECOND, 30 * SECOND));
        from("a"); // learned on a
        from("b");
        from("a");
        from("b"); // three moves: still allowed
        assertThat(learnedOn()).isEqualTo("b");
        assertThat(from("a").dropReason()).as("the fourth move is a flap").isEqualTo(DropReason.MAC_MOVE_FROZEN);
        assertThat(learnedOn()).as("back on the port it had when the window began").isEqualTo("a");
        assertThat(from("b").dropReason()).isEqualTo(DropReason.MAC_MOVE_FROZEN);
        assertThat(from("a").dropped()).as("frames from its home port still pass").isFalse();
        assertThat(sw.port("b").counters().get(DropReason.MAC_MOVE_FROZEN)).isEqualTo(1);
        assertThat(sw.macMoveLog().poll(now)).singleElement().asString()
            .contains("the last from port b to a; frozen on port a for 30 s")
            .contains("(mac_move_frozen)");

        Trace t = Trace.probe();
        MemorySegment f = untagged(OTHER, LOOPED);
        sw.forward(sw.port("b").id(), f, 0, (int) f.byteSize(), now, d, t);
        assertThat(t.render()).contains("drop (mac_move_frozen): 02:00:00:00:00:99 is flapping and frozen on port a");

        now += 31 * SECOND;
        assertThat(from("b").dropped()).as("the hold is over").isFalse();
        assertThat(learnedOn()).isEqualTo("b");
    }
}
