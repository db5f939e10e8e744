package io.vxswitch.forwarding;

import org.junit.jupiter.api.Test;

import static io.vxswitch.forwarding.SwitchFixture.*;
import static io.vxswitch.forwarding.TestFrames.BROADCAST;
import static io.vxswitch.forwarding.TestFrames.untagged;
import static org.assertj.core.api.Assertions.assertThat;

/** The VDS default: the switch knows its vNIC MACs, learns nothing, and teams uplinks by originating port. */
class VdsForwardingTest {
    private final SwitchFixture f = SwitchFixture.vdsDefaults();

    @Test
    void a_frame_to_a_known_vnic_goes_to_that_port_only() {
        f.send("vm1", untagged(VM2, VM1));
        assertThat(f.egress()).containsExactly("vm2");
        assertThat(f.d.vlan()).isEqualTo(119);
    }

    @Test
    void unknown_unicast_from_a_vnic_leaves_by_its_pinned_uplink_and_nowhere_else() {
        f.send("vm1", untagged(OUTSIDE, VM1));
        assertThat(f.egress()).containsExactly("uplink1");
        f.send("vm2", untagged(OUTSIDE, VM2));
        assertThat(f.egress()).containsExactly("uplink2");
    }

    @Test
    void broadcast_from_a_vnic_reaches_every_vnic_in_its_vlan_and_one_uplink() {
        f.send("vm1", untagged(BROADCAST, VM1));
        assertThat(f.egress()).containsExactlyInAnyOrder("vm2", "nested", "uplink1");
    }

    @Test
    void uplinks_carry_the_vlan_tagged() {
        f.send("vm1", untagged(OUTSIDE, VM1));
        assertThat(f.d.egressTag(0)).isEqualTo(119);
        assertThat(f.d.egressLength(0)).isEqualTo(64);
    }

    @Test
    void broadcast_from_an_uplink_reaches_only_the_vnics_pinned_to_it_and_never_another_uplink() {
        f.send("uplink1", TestFrames.tagged(BROADCAST, OUTSIDE, 119));
        assertThat(f.egress()).containsExactlyInAnyOrder("vm1", "nested");
        f.send("uplink2", TestFrames.tagged(BROADCAST, OUTSIDE, 119));
        assertThat(f.egress()).containsExactly("vm2");
        assertThat(f.d.egressTag(0)).isEqualTo(-1);
    }

    @Test
    void unknown_unicast_from_an_uplink_is_dropped() {
        f.send("uplink1", TestFrames.tagged(VM3, OUTSIDE, 119));
        assertThat(f.d.dropReason()).isEqualTo(DropReason.UNKNOWN_UNICAST);
        assertThat(f.drops("uplink1", DropReason.UNKNOWN_UNICAST)).isEqualTo(1);
    }

    @Test
    void unicast_from_an_uplink_to_a_vnic_is_delivered_whatever_its_pinning() {
        f.send("uplink1", TestFrames.tagged(VM2, OUTSIDE, 119));
        assertThat(f.egress()).containsExactly("vm2");
    }

    @Test
    void our_own_broadcast_coming_back_on_an_uplink_is_dropped_by_the_reverse_path_filter() {
        f.send("uplink1", TestFrames.tagged(BROADCAST, VM2, 119));
        assertThat(f.d.dropReason()).isEqualTo(DropReason.REVERSE_PATH);
        assertThat(f.drops("uplink1", DropReason.REVERSE_PATH)).isEqualTo(1);
    }

    @Test
    void vlans_stay_apart() {
        f.send("vm120", untagged(BROADCAST, VM120));
        assertThat(f.egress()).containsExactly("uplink2");
        f.send("vm1", untagged(VM120, VM1));
        assertThat(f.egress()).containsExactly("uplink1");
    }

    @Test
    void a_frame_from_the_nested_hypervisors_vms_is_a_forged_transmit_and_dropped() {
        f.send("nested", untagged(VM1, VM3));
        assertThat(f.d.dropReason()).isEqualTo(DropReason.FORGED_TRANSMIT);
        assertThat(f.drops("nested", DropReason.FORGED_TRANSMIT)).isEqualTo(1);
    }

    @Test
    void nothing_is_learned() {
        f.send("uplink1", TestFrames.tagged(VM1, OUTSIDE, 119));
        assertThat(f.sw.fdb().size()).isZero();
    }

    @Test
    void counters_follow_each_frame() {
        f.send("vm1", untagged(BROADCAST, VM1));
        assertThat(f.sw.port("vm1").counters().get(PortCounter.RX_FRAMES)).isEqualTo(1);
        assertThat(f.sw.port("vm1").counters().get(PortCounter.RX_BYTES)).isEqualTo(60);
        assertThat(f.sw.port("uplink1").counters().get(PortCounter.TX_BYTES)).isEqualTo(64);
        assertThat(f.sw.port("vm2").counters().get(PortCounter.TX_FRAMES)).isEqualTo(1);
    }

    @Test
    void the_fdb_shows_vnic_macs_without_learning() {
        String table = f.sw.showFdb(f.now);
        assertThat(table).contains("vm1", "00:50:56:00:00:01", "vnic").contains(" 119 ");
        assertThat(f.sw.fdbRows(f.now)).hasSize(4);
    }
}
