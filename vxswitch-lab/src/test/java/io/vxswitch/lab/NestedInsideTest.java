package io.vxswitch.lab;

import io.vxswitch.forwarding.DropReason;
import io.vxswitch.forwarding.FdbRow;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.fdb.FdbEntryType;
import io.vxswitch.lab.node.Frames;
import io.vxswitch.lab.node.TracedFrame;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The nested example from the inside: the VDS's MAC table, counters and traces. */
class NestedInsideTest {
    /** The nested example with its nested hypervisor's port group set by {@code policy}. */
    static LabResult nested(SeedPolicy policy, boolean reversePathCheckPromisc) {
        return Lab.run(LabExample.NESTED.topology(policy, reversePathCheckPromisc));
    }

    static final long VM3 = MacAddress.parseBits("52:54:00:00:00:03");
    static final long VM4 = MacAddress.parseBits("52:54:00:00:00:04");

    @Test
    void the_seed_pins_vm1_and_the_nested_hypervisor_to_different_uplinks() {
        Switch esxi = nested(SeedPolicy.LEARNING, false).vds("esxi");

        assertThat(esxi.pinnedUplink(esxi.port("vm1").id()).name()).isEqualTo("uplink1");
        assertThat(esxi.pinnedUplink(esxi.port("nested").id()).name()).isEqualTo("uplink2");
    }

    @Test
    void with_learning_the_inner_vms_macs_are_learned_on_the_nested_port() {
        LabResult r = nested(SeedPolicy.LEARNING, false);

        assertThat(r.vds("esxi").fdbRows(r.endNanos()))
            .filteredOn(row -> row.type() == FdbEntryType.LEARNED)
            .extracting(FdbRow::port, FdbRow::vlan, FdbRow::mac)
            .containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("nested", 119, VM3),
                org.assertj.core.groups.Tuple.tuple("nested", 119, VM4));
        assertThat(r.fdbTables()).contains("nested   119  52:54:00:00:00:03").contains("learned");
    }

    @Test
    void with_learning_the_echo_request_is_known_unicast_to_the_nested_port() {
        TracedFrame t = nested(SeedPolicy.LEARNING, false).firstEchoTrace().orElseThrow();

        assertThat(t.inPort()).isEqualTo("vm1");
        assertThat(t.frame()).contains("10.0.0.1 > 10.0.0.3: ICMP echo request");
        assertThat(t.trace().render()).contains("52:54:00:00:00:03 VLAN 119 is on port nested")
            .contains("forward to nested (untagged)");
    }

    @Test
    void with_defaults_the_inner_vms_frames_are_dropped_as_forged_transmits_on_the_nested_port() {
        LabResult r = nested(SeedPolicy.DEFAULT, false);
        Switch esxi = r.vds("esxi");

        assertThat(esxi.port("nested").counters().get(DropReason.FORGED_TRANSMIT)).isPositive();
        assertThat(esxi.fdbRows(r.endNanos())).noneMatch(row -> row.type() == FdbEntryType.LEARNED);
        assertThat(r.firstEchoTrace()).as("ARP never resolved, so no echo request reached the switch").isEmpty();
        TracedFrame drop = r.firstVnicDropTrace().orElseThrow();
        assertThat(drop.inPort()).isEqualTo("nested");
        assertThat(drop.frame()).contains("ARP, Reply 10.0.0.3 is-at 52:54:00:00:00:03");
        assertThat(drop.trace().render()).contains("drop (forged_transmit)");
    }

    @Test
    void with_promiscuous_the_echo_goes_out_vm1s_uplink_and_to_the_promiscuous_nested_port() {
        TracedFrame t = nested(SeedPolicy.PROMISCUOUS, false).firstEchoTrace().orElseThrow();

        assertThat(t.inPort()).isEqualTo("vm1");
        assertThat(t.trace().render()).contains("is unknown: unknown unicast")
            .contains("promiscuous copy to nested")
            .contains("forward to uplink1 (tag 119), nested (untagged)");
    }

    @Test
    void with_promiscuous_each_echo_request_reaches_the_nested_port_twice_unless_reverse_path_checked() {
        // VM1's 4 requests: copy 1 straight from vm1, copy 2 after the Nexus flooded it back in on uplink2,
        // where it has no regular destination but the promiscuous nested port is pinned to uplink2. The
        // workstation's 4 arrive once, on uplink2.
        assertThat(echoRequestsOutOf("esxi:nested", SeedPolicy.PROMISCUOUS, false)).isEqualTo(4 * 2 + 4);
        assertThat(echoRequestsOutOf("esxi:nested", SeedPolicy.PROMISCUOUS, true)).isEqualTo(4 + 4);
        assertThat(echoRequestsOutOf("esxi:nested", SeedPolicy.LEARNING, false)).isEqualTo(4 + 4);
    }

    @Test
    void with_reverse_path_check_promisc_the_reflected_copy_goes_nowhere() {
        LabResult plain = nested(SeedPolicy.PROMISCUOUS, false);
        LabResult checked = nested(SeedPolicy.PROMISCUOUS, true);

        assertThat(plain.vds("esxi").port("uplink2").counters().get(DropReason.UNKNOWN_UNICAST)).isZero();
        assertThat(checked.vds("esxi").options().reversePathCheckPromisc()).isTrue();
        assertThat(checked.vds("esxi").port("uplink2").counters().get(DropReason.UNKNOWN_UNICAST)).isEqualTo(4);
    }

    /** How many ICMP echo requests the lab saw leaving through link end {@code end}. */
    private static long echoRequestsOutOf(String end, SeedPolicy policy, boolean reversePathCheckPromisc) {
        long[] count = {0};
        Lab.run(LabExample.NESTED.topology(policy, reversePathCheckPromisc), (time, from, frame) -> {
            if (from.name().equals(end) && Frames.isIcmpEchoRequest(frame)) {
                count[0]++;
            }
        });
        return count[0];
    }
}
