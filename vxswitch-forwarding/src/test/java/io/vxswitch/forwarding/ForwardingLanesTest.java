package io.vxswitch.forwarding;

import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CyclicBarrier;

import static io.vxswitch.forwarding.TestFrames.untagged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two threads forward through one switch at once, each on its own lane, as two poll loops reading two queues of the
 * same tap would. Every frame is counted exactly once: with one shared set of counters, plain increments from two
 * threads lose counts.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ForwardingLanesTest {
    private static final long VM1 = 0x005056000001L;
    private static final long VM2 = 0x005056000002L;
    private static final int FRAMES = 400_000;
    private static final int NESTED_MACS = 64;

    private static long nestedVm(int i) {
        return 0x525400000100L + i;
    }

    @Test
    void two_lanes_forwarding_at_once_count_every_frame_and_learn_every_mac() throws Exception {
        Switch sw = new Switch(SwitchOptions.defaults("esxi").withMaxPorts(8).withLanes(2));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan119", VlanPolicy.access(119)));
        sw.addPortGroup(new PortGroupPolicy("nested", VlanPolicy.access(119),
            SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true), MacLearningPolicy.ENABLED));
        int vm1 = sw.addVnicPort("vm1", "vlan119", VM1);
        sw.addVnicPort("vm2", "vlan119", VM2);
        int nested = sw.addVnicPort("nested", "nested", 0x005056000009L);
        // The nested hypervisor's VMs send from both lanes (their flows hash to both queues); vm1 answers them.
        MemorySegment[] fromNested = new MemorySegment[NESTED_MACS];
        MemorySegment[] toNested = new MemorySegment[NESTED_MACS];
        for (int i = 0; i < NESTED_MACS; i++) {
            fromNested[i] = untagged(VM2, nestedVm(i));
            toNested[i] = untagged(nestedVm(i), VM1);
        }
        CyclicBarrier start = new CyclicBarrier(2);
        Thread[] lanes = new Thread[2];
        for (int l = 0; l < 2; l++) {
            ForwardingLane lane = sw.lane(l);
            lanes[l] = Thread.ofPlatform().start(() -> {
                ForwardingDecision d = sw.newDecision();
                await(start);
                for (int n = 0; n < FRAMES; n++) {
                    MemorySegment f = n % 2 == 0 ? fromNested[n / 2 % NESTED_MACS] : toNested[n / 2 % NESTED_MACS];
                    lane.forward(n % 2 == 0 ? nested : vm1, f, 0, (int) f.byteSize(), n + 1, d);
                }
            });
        }
        for (Thread t : lanes) {
            t.join();
        }

        assertThat(sw.port("nested").counters().get(PortCounter.RX_FRAMES)).isEqualTo(FRAMES);
        assertThat(sw.port("vm1").counters().get(PortCounter.RX_FRAMES)).isEqualTo(FRAMES);
        assertThat(sw.port("vm2").counters().get(PortCounter.TX_FRAMES))
            .as("every frame from the nested VMs, to vm2's MAC")
            .isEqualTo(FRAMES);
        assertThat(sw.port("nested").counters().get(PortCounter.TX_FRAMES))
            .as("vm1's frames reach the nested port: once their MAC is learned as unicast, before it as a flood")
            .isEqualTo(FRAMES);
        assertThat(sw.fdb().learnedOn(nested)).isEqualTo(NESTED_MACS);
        for (int i = 0; i < NESTED_MACS; i++) {
            assertThat(sw.fdb().portOf(119, nestedVm(i))).isEqualTo(nested);
        }
        assertThat(sw.fdb().stats().learned()).as("each MAC learned once, not once per lane").isEqualTo(NESTED_MACS);
    }

    @Test
    void a_switch_has_the_lanes_it_was_built_with() {
        Switch sw = new Switch(SwitchOptions.defaults("esxi").withLanes(3));
        assertThat(sw.lane(2).index()).isEqualTo(2);
        assertThatThrownBy(() -> sw.lane(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> SwitchOptions.defaults("esxi").withLanes(0))
            .hasMessage("lanes (forwarding threads) must be 1-64, got 0");
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
