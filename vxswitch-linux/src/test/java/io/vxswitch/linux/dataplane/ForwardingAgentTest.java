package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.packet.FrameBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

/** One forwarding agent's turns, driven by the test on its own thread, over ports without devices. */
class ForwardingAgentTest {
    static final long VM1 = 0x02_00_00_00_00_01L;
    static final long VM2 = 0x02_00_00_00_00_02L;

    Switch sw;
    FakePort vm1;
    FakePort vm2;
    ForwardingAgent agent;
    SenderAgent sender;

    @BeforeEach
    void build() {
        sw = new Switch(SwitchOptions.defaults("t"));
        sw.addPortGroup(new PortGroupPolicy("lan", VlanPolicy.none(), SecurityPolicy.VDS_DEFAULT,
            MacLearningPolicy.DISABLED));
        vm1 = new FakePort(sw.addVnicPort("vm1", "lan", VM1));
        vm2 = new FakePort(sw.addVnicPort("vm2", "lan", VM2));
        agent = new ForwardingAgent("agent", sw.lane(0), sw.newDecision(), new DescriptorWait(false),
            new Captures(sw.options().maxPorts()), null,
            sw.options().maxPorts());
        sender = new SenderAgent("sender");
        for (FakePort p : new FakePort[] {vm1, vm2}) {
            agent.add(p);
            sender.add(p);
        }
    }

    @AfterEach
    void close() {
        vm1.close();
        vm2.close();
        agent.descriptors().close();
    }

    static byte[] arpReply(long from, long to) {
        MemorySegment s = MemorySegment.ofArray(new byte[60]);
        int n = FrameBuilder.arpReply(s, 0, from, 0x0A000001, to, 0x0A000002);
        return s.asSlice(0, FrameBuilder.padToMinimum(s, 0, n)).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void a_turn_forwards_what_a_port_received_and_publishes_the_copy_for_the_sender() {
        byte[] frame = arpReply(VM1, VM2);
        vm1.receive(frame);

        assertThat(agent.doWork()).as("frames read").isEqualTo(1);
        assertThat(vm2.hasPending()).as("published at the end of the turn").isTrue();
        assertThat(vm2.sent).as("nothing sent before the sender's turn").isEmpty();

        assertThat(sender.doWork()).isEqualTo(1);
        assertThat(vm2.sent).containsExactly(frame);
        assertThat(vm1.sent).as("never back out of its ingress port").isEmpty();
    }

    /**
     * A mirror copy is queued after the forwarded copy, cut to its session's truncation: the forwarded copy, queued
     * first, leaves whole although the frame is cut for the copy after it.
     */
    @Test
    void a_truncating_mirror_session_sends_the_analyzer_a_cut_copy_and_the_destination_the_whole_frame() {
        FakePort analyzer = new FakePort(sw.addVnicPort("analyzer", "lan", 0x02_00_00_00_00_09L));
        try {
            agent.add(analyzer);
            sender.add(analyzer);
            sw.addMirror(io.vxswitch.forwarding.mirror.MirrorSession.span("s", java.util.List.of("vm1"),
                java.util.List.of(), io.vxswitch.forwarding.mirror.MirrorDirection.INGRESS, "analyzer").withTruncate(60));
            MemorySegment s = MemorySegment.ofArray(new byte[200]);
            int n = FrameBuilder.icmpEcho(s, 0, VM1, VM2, 0x0A000001, 0x0A000002, true, 1, 1);
            byte[] frame = s.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            vm1.receive(frame);

            assertThat(agent.doWork()).isEqualTo(1);
            assertThat(sender.doWork()).isEqualTo(2);
            assertThat(vm2.sent).containsExactly(frame);
            assertThat(analyzer.sent).containsExactly(java.util.Arrays.copyOf(frame, 60));
        } finally {
            analyzer.close();
        }
    }

    @Test
    void a_turn_with_nothing_ready_does_no_work() {
        assertThat(agent.doWork()).isZero();
        assertThat(sender.doWork()).isZero();
    }

    @Test
    void a_port_that_fails_for_good_is_reported_once_and_never_read_again() {
        vm1.kill();
        agent.doWork();
        assertThat(agent.pollGone()).isSameAs(vm1);
        assertThat(agent.pollGone()).isNull();

        vm1.receive(arpReply(VM1, VM2)); // its descriptor is no longer waited on
        agent.doWork();
        assertThat(agent.pollGone()).as("not reported again").isNull();
        assertThat(vm1.readBy).isEmpty();
        assertThat(agent.devices()).as("still its device: its port keeps its copies").contains(vm1);
    }

    @Test
    void a_removed_port_gets_no_more_copies() {
        agent.remove(vm2);
        vm1.receive(arpReply(VM1, VM2));
        agent.doWork();
        sender.doWork();
        assertThat(vm2.sent).isEmpty();
        assertThat(agent.owns(vm2)).isFalse();
    }

    @Test
    void a_held_agent_waits_at_the_top_of_its_turn_until_released() throws Exception {
        agent.onStart();
        vm1.receive(arpReply(VM1, VM2));
        agent.hold().request();
        Thread t = Thread.ofPlatform().start(agent::doWork);
        agent.hold().awaitHeld();
        assertThat(vm1.readBy).as("held before reading").isEmpty();
        agent.hold().release();
        t.join(5_000);
        assertThat(vm1.readBy).hasSize(1);
        assertThat(t.isAlive()).isFalse();
    }

    @Test
    void holding_an_agent_that_is_not_running_does_not_wait() {
        agent.hold().request();
        agent.hold().awaitHeld(); // returns: nothing runs the agent
        agent.hold().release();
    }
}
