package io.vxswitch.forwarding;

import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.PortShaping;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.TrafficShapingPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.trace.Trace;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static io.vxswitch.forwarding.TestFrames.BROADCAST;
import static io.vxswitch.forwarding.TestFrames.untagged;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Traffic shaping on the forwarding path: ingress (what a port sends into the switch) is shaped before learning,
 * egress (what the switch sends out of a port) per copy; a frame over the limit is dropped and counted by reason.
 * The test frames are 60 bytes; a burst of 600 bytes lets ten of them through at one instant, and the average of
 * 8 Mbit/s earns one byte a microsecond.
 */
class TrafficShapingTest {
    private static final long VM1 = 0x020000000001L;
    private static final long VM2 = 0x020000000002L;
    private static final long VM3 = 0x020000000003L;
    private static final long VM4 = 0x020000000004L;
    private static final long T0 = 3_000_000_000L;
    private static final long US = 1_000L;
    private static final TrafficShapingPolicy TEN_FRAMES = new TrafficShapingPolicy(8_000_000, 80_000_000, 600);

    private final Switch sw = hostSwitch(1);
    private final ForwardingDecision d = sw.newDecision();

    /** vm1 in limited-tx (ingress shaped), vm2 in limited-rx (egress shaped), vm3 and vm4 in plain. */
    private static Switch hostSwitch(int lanes) {
        Switch sw = new Switch(SwitchOptions.defaults("shaping").withMaxPorts(8).withLanes(lanes));
        VlanPolicy vlan = VlanPolicy.access(10);
        sw.addPortGroup(PortGroupPolicy.vdsDefault("limited-tx", vlan).withShaping(new PortShaping(TEN_FRAMES, null)));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("limited-rx", vlan).withShaping(new PortShaping(null, TEN_FRAMES)));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("plain", vlan));
        sw.addVnicPort("vm1", "limited-tx", VM1);
        sw.addVnicPort("vm2", "limited-rx", VM2);
        sw.addVnicPort("vm3", "plain", VM3);
        sw.addVnicPort("vm4", "plain", VM4);
        return sw;
    }

    @Test
    void a_vnic_sending_faster_than_its_ingress_shaping_loses_the_frames_over_its_burst() {
        int forwarded = send("vm1", VM3, VM1, 12, T0);
        assertThat(forwarded).isEqualTo(10);
        assertThat(d.dropReason()).isEqualTo(DropReason.INGRESS_SHAPING);
        assertThat(counter("vm1", PortCounter.RX_FRAMES)).isEqualTo(12);
        assertThat(drops("vm1", DropReason.INGRESS_SHAPING)).isEqualTo(2);
        assertThat(counter("vm3", PortCounter.TX_FRAMES)).isEqualTo(10);
    }

    @Test
    void after_the_burst_a_frame_passes_as_soon_as_there_is_credit_and_the_next_once_its_debt_is_paid() {
        send("vm1", VM3, VM1, 10, T0);
        assertThat(send("vm1", VM3, VM1, 1, T0)).as("empty").isZero();
        assertThat(send("vm1", VM3, VM1, 1, T0 + US)).as("one byte earned: passes, 59 bytes in debt").isEqualTo(1);
        assertThat(send("vm1", VM3, VM1, 1, T0 + 60 * US)).as("debt paid, nothing more").isZero();
        assertThat(send("vm1", VM3, VM1, 1, T0 + 61 * US)).isEqualTo(1);
    }

    @Test
    void a_frame_over_the_ingress_limit_teaches_the_fdb_nothing() {
        SecurityPolicy forged = SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true);
        sw.updatePortGroup(sw.portGroup("limited-tx").policy().withSecurity(forged)
            .withMacLearning(io.vxswitch.forwarding.policy.MacLearningPolicy.ENABLED));
        send("vm1", VM3, VM1, 10, T0);
        long nested = 0x525400000009L;
        send("vm1", VM3, nested, 1, T0);
        assertThat(d.dropReason()).isEqualTo(DropReason.INGRESS_SHAPING);
        assertThat(sw.fdb().sourcePort(10, nested)).isEqualTo(io.vxswitch.forwarding.fdb.Fdb.NOT_FOUND);
    }

    @Test
    void copies_over_a_ports_egress_shaping_are_withheld_and_counted_on_that_port() {
        int forwarded = send("vm3", VM2, VM3, 12, T0);
        assertThat(forwarded).isEqualTo(10);
        assertThat(d.dropReason()).as("its only copy withheld, the frame is dropped for it")
            .isEqualTo(DropReason.EGRESS_SHAPING);
        assertThat(drops("vm2", DropReason.EGRESS_SHAPING)).isEqualTo(2);
        assertThat(drops("vm3", DropReason.EGRESS_SHAPING)).isEqualTo(2);
        assertThat(counter("vm2", PortCounter.TX_FRAMES)).isEqualTo(10);
        assertThat(counter("vm3", PortCounter.RX_FRAMES)).isEqualTo(12);
    }

    @Test
    void a_broadcast_still_reaches_the_ports_that_are_not_shaped() {
        send("vm3", VM2, VM3, 10, T0); // vm2's egress bucket is empty now
        forward("vm3", untagged(BROADCAST, VM3), T0);
        assertThat(egress()).containsExactlyInAnyOrder("vm1", "vm4");
        assertThat(drops("vm2", DropReason.EGRESS_SHAPING)).isEqualTo(1);
        assertThat(d.dropped()).isFalse();
    }

    @Test
    void ports_of_a_port_group_without_shaping_are_not_limited() {
        assertThat(send("vm3", VM4, VM3, 10_000, T0)).isEqualTo(10_000);
    }

    @Test
    void each_port_of_a_shaped_group_has_buckets_of_its_own() {
        sw.addVnicPort("vm5", "limited-tx", 0x020000000005L);
        send("vm1", VM3, VM1, 10, T0);
        assertThat(send("vm5", VM3, 0x020000000005L, 10, T0)).isEqualTo(10);
    }

    @Test
    void a_probe_draws_nothing_from_the_buckets() {
        for (int i = 0; i < 20; i++) {
            sw.forward(sw.port("vm1").id(), untagged(VM3, VM1), 0, 60, T0, d, Trace.probe());
            assertThat(d.dropped()).isFalse();
        }
        assertThat(send("vm1", VM3, VM1, 11, T0)).isEqualTo(10);
    }

    @Test
    void a_changed_shaping_applies_at_once_with_full_buckets_and_an_unchanged_one_keeps_its_state() {
        send("vm1", VM3, VM1, 10, T0);
        PortGroupPolicy limited = sw.portGroup("limited-tx").policy();
        sw.updatePortGroup(limited.withSecurity(SecurityPolicy.VDS_DEFAULT.withMacChanges(true)));
        assertThat(send("vm1", VM3, VM1, 1, T0)).as("same shaping: still empty").isZero();
        TrafficShapingPolicy twenty = new TrafficShapingPolicy(8_000_000, 80_000_000, 1200);
        sw.updatePortGroup(limited.withShaping(new PortShaping(twenty, null)));
        assertThat(send("vm1", VM3, VM1, 25, T0)).isEqualTo(20);
        sw.updatePortGroup(limited.withShaping(PortShaping.NONE));
        assertThat(send("vm1", VM3, VM1, 1000, T0)).isEqualTo(1000);
    }

    @Test
    void with_two_lanes_each_lane_has_half_the_burst_and_the_port_no_more_than_all_of_it() {
        Switch two = hostSwitch(2);
        int passed = 0;
        for (int lane = 0; lane < 2; lane++) {
            ForwardingDecision dl = two.newDecision();
            for (int i = 0; i < 8; i++) {
                two.lane(lane).forward(two.port("vm1").id(), untagged(VM3, VM1), 0, 60, T0, dl);
                passed += dl.dropped() ? 0 : 1;
            }
        }
        assertThat(passed).isEqualTo(10);
    }

    /** Sends {@code n} frames from {@code port} at {@code now}; how many were forwarded. */
    private int send(String port, long dst, long src, int n, long now) {
        int forwarded = 0;
        for (int i = 0; i < n; i++) {
            forward(port, untagged(dst, src), now);
            forwarded += d.dropped() ? 0 : 1;
        }
        return forwarded;
    }

    private void forward(String port, MemorySegment frame, long now) {
        sw.forward(sw.port(port).id(), frame, 0, (int) frame.byteSize(), now, d);
    }

    private java.util.List<String> egress() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < d.egressCount(); i++) {
            out.add(sw.port(d.egressPort(i)).name());
        }
        return out;
    }

    private long drops(String port, DropReason reason) {
        return sw.port(port).counters().get(reason);
    }

    private long counter(String port, PortCounter c) {
        return sw.port(port).counters().get(c);
    }
}
