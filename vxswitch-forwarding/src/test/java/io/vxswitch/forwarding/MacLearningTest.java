package io.vxswitch.forwarding;

import io.vxswitch.forwarding.fdb.FdbEntryType;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.MacLearningPolicy.LimitPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import org.junit.jupiter.api.Test;

import static io.vxswitch.forwarding.SwitchFixture.*;
import static io.vxswitch.forwarding.TestFrames.BROADCAST;
import static io.vxswitch.forwarding.TestFrames.tagged;
import static io.vxswitch.forwarding.TestFrames.untagged;
import static org.assertj.core.api.Assertions.assertThat;

/** The Learnswitch behaviour: a port group that learns the MACs behind its ports. */
class MacLearningTest {
    private final SwitchFixture f = SwitchFixture.learning();

    @Test
    void a_mac_behind_the_nested_port_is_learned_on_that_port() {
        f.send("nested", untagged(VM1, VM3));
        assertThat(f.sw.fdb().portOf(119, VM3)).isEqualTo(f.sw.port("nested").id());
        assertThat(f.sw.fdbRows(f.now)).anySatisfy(r -> {
            assertThat(r.port()).isEqualTo("nested");
            assertThat(r.mac()).isEqualTo(VM3);
            assertThat(r.type()).isEqualTo(FdbEntryType.LEARNED);
        });
    }

    @Test
    void a_frame_to_a_learned_mac_goes_to_the_learning_port_only() {
        f.send("nested", untagged(VM1, VM3));
        f.send("vm1", untagged(VM3, VM1));
        assertThat(f.egress()).containsExactly("nested");
        f.send("uplink1", tagged(VM3, OUTSIDE, 119));
        assertThat(f.egress()).containsExactly("nested");
    }

    @Test
    void unknown_unicast_is_flooded_to_ports_that_learn_and_flood() {
        f.send("vm1", untagged(VM4, VM1));
        assertThat(f.egress()).containsExactlyInAnyOrder("nested", "uplink1");
        f.send("uplink1", tagged(VM4, OUTSIDE, 119));
        assertThat(f.egress()).containsExactly("nested");
        // from the other uplink: nested is not pinned to it
        f.send("uplink2", tagged(VM4, OUTSIDE, 119));
        assertThat(f.d.dropReason()).isEqualTo(DropReason.UNKNOWN_UNICAST);
    }

    @Test
    void a_learning_port_with_unicast_flooding_off_gets_no_unknown_unicast() {
        SwitchFixture g = new SwitchFixture(SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true),
            MacLearningPolicy.ENABLED.withUnicastFlooding(false), false);
        g.send("vm1", untagged(VM4, VM1));
        assertThat(g.egress()).containsExactly("uplink1");
    }

    @Test
    void the_vnic_macs_of_other_ports_are_never_learned() {
        f.send("nested", untagged(VM2, VM1));
        assertThat(f.sw.fdb().size()).isZero();
        f.send("nested", untagged(VM2, NESTED));
        assertThat(f.sw.fdb().size()).isZero();
    }

    @Test
    void beyond_the_limit_with_policy_drop_frames_from_new_macs_are_dropped_and_counted() {
        SwitchFixture g = new SwitchFixture(SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true),
            MacLearningPolicy.ENABLED.withLimit(2, LimitPolicy.DROP), false);
        g.send("nested", untagged(VM1, VM3));
        g.send("nested", untagged(VM1, VM4));
        g.send("nested", untagged(VM1, 0x525400000005L));
        assertThat(g.d.dropReason()).isEqualTo(DropReason.MAC_LIMIT);
        assertThat(g.drops("nested", DropReason.MAC_LIMIT)).isEqualTo(1);
        g.send("nested", untagged(VM1, VM3));
        assertThat(g.egress()).containsExactly("vm1");
    }

    @Test
    void beyond_the_limit_with_policy_allow_frames_are_forwarded_but_not_learned() {
        SwitchFixture g = new SwitchFixture(SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true),
            MacLearningPolicy.ENABLED.withLimit(1, LimitPolicy.ALLOW), false);
        g.send("nested", untagged(VM1, VM3));
        g.send("nested", untagged(VM1, VM4));
        assertThat(g.egress()).containsExactly("vm1");
        assertThat(g.sw.fdb().portOf(119, VM4)).isEqualTo(-1);
        assertThat(g.sw.fdb().size()).isEqualTo(1);
    }

    @Test
    void learned_macs_age_out_after_the_aging_time_and_static_ones_stay() {
        f.sw.addStaticMac(119, VM4, "nested");
        f.send("nested", untagged(VM1, VM3));
        f.now += 299 * SECOND;
        assertThat(f.sw.expire(f.now)).isZero();
        f.now += 2 * SECOND;
        assertThat(f.sw.expire(f.now)).isEqualTo(1);
        assertThat(f.sw.fdb().portOf(119, VM3)).isEqualTo(-1);
        assertThat(f.sw.fdb().portOf(119, VM4)).isEqualTo(f.sw.port("nested").id());
    }

    @Test
    void a_mac_seen_on_another_learning_port_moves_and_the_move_is_counted() {
        SwitchFixture g = new SwitchFixture(SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true),
            MacLearningPolicy.ENABLED, false);
        g.sw.updatePortGroup(g.sw.portGroup("vlan119").policy()
            .withSecurity(SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true))
            .withMacLearning(MacLearningPolicy.ENABLED));
        g.send("nested", untagged(VM1, VM3));
        g.send("vm2", untagged(VM1, VM3));
        assertThat(g.sw.fdb().portOf(119, VM3)).isEqualTo(g.sw.port("vm2").id());
        assertThat(g.sw.fdb().stats().moved()).isEqualTo(1);
    }

    @Test
    void reflected_broadcasts_from_learned_macs_are_filtered_and_not_learned_on_the_uplink() {
        f.send("nested", untagged(BROADCAST, VM3));
        f.send("uplink2", tagged(BROADCAST, VM3, 119));
        assertThat(f.d.dropReason()).isEqualTo(DropReason.REVERSE_PATH);
        assertThat(f.sw.fdb().portOf(119, VM3)).isEqualTo(f.sw.port("nested").id());
    }
}
