package io.vxswitch.forwarding;

import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import org.junit.jupiter.api.Test;

import static io.vxswitch.forwarding.SwitchFixture.*;
import static io.vxswitch.forwarding.TestFrames.BROADCAST;
import static io.vxswitch.forwarding.TestFrames.tagged;
import static io.vxswitch.forwarding.TestFrames.untagged;
import static org.assertj.core.api.Assertions.assertThat;

class SecurityPolicyTest {

    @Test
    void forged_transmits_accept_lets_the_nested_vms_talk() {
        SwitchFixture f = SwitchFixture.promiscuous(false);
        f.send("nested", untagged(VM1, VM3));
        assertThat(f.egress()).containsExactly("vm1");
    }

    @Test
    void a_promiscuous_port_gets_a_copy_of_unicast_between_others_in_its_vlan() {
        SwitchFixture f = SwitchFixture.promiscuous(false);
        f.send("vm1", untagged(VM2, VM1));
        assertThat(f.egress()).containsExactly("vm2", "nested");
        f.send("vm120", untagged(BROADCAST, VM120));
        assertThat(f.egress()).doesNotContain("nested");
    }

    @Test
    void unknown_unicast_reaches_the_promiscuous_port_twice_when_the_physical_switch_floods_it_back() {
        SwitchFixture f = SwitchFixture.promiscuous(false);
        f.send("vm1", untagged(VM3, VM1));
        assertThat(f.egress()).containsExactly("uplink1", "nested");
        // The physical switch does not know VM3 and floods the frame back in on the uplink the nested port is pinned to.
        f.send("uplink1", tagged(VM3, VM1, 119));
        assertThat(f.egress()).containsExactly("nested");
    }

    @Test
    void reverse_path_check_promisc_withholds_our_own_frames_from_promiscuous_ports() {
        SwitchFixture f = SwitchFixture.promiscuous(true);
        f.send("uplink1", tagged(VM3, VM1, 119));
        assertThat(f.d.dropReason()).isEqualTo(DropReason.UNKNOWN_UNICAST);
        f.send("uplink1", tagged(VM3, OUTSIDE, 119));
        assertThat(f.egress()).containsExactly("nested");
    }

    @Test
    void a_promiscuous_port_sees_frames_from_uplinks_only_on_its_pinned_uplink() {
        SwitchFixture f = SwitchFixture.promiscuous(false);
        f.send("uplink2", tagged(VM3, OUTSIDE, 119));
        assertThat(f.d.dropReason()).isEqualTo(DropReason.UNKNOWN_UNICAST);
    }

    @Test
    void mac_changes_reject_drops_inbound_frames_once_the_guest_changes_its_mac() {
        SwitchFixture f = SwitchFixture.vdsDefaults();
        long changed = 0x02_00_00_00_00_99L;
        f.sw.setEffectiveMac("vm2", changed);
        f.send("vm1", untagged(changed, VM1));
        assertThat(f.d.dropReason()).isEqualTo(DropReason.MAC_CHANGED);
        assertThat(f.drops("vm2", DropReason.MAC_CHANGED)).isEqualTo(1);
        // and vm2 may still send with its new MAC: forged transmits compares against the effective MAC
        f.send("vm2", untagged(VM1, changed));
        assertThat(f.egress()).containsExactly("vm1");
    }

    @Test
    void mac_changes_accept_delivers_to_the_new_mac() {
        Switch sw = new Switch(SwitchOptions.defaults("h").withMaxPorts(8));
        sw.addPortGroup(new PortGroupPolicy("pg", VlanPolicy.access(10),
            SecurityPolicy.VDS_DEFAULT.withMacChanges(true), MacLearningPolicy.DISABLED));
        sw.addVnicPort("a", "pg", VM1);
        sw.addVnicPort("b", "pg", VM2);
        sw.setEffectiveMac("b", 0x020000000099L);
        ForwardingDecision d = sw.newDecision();
        var frame = untagged(0x020000000099L, VM1);
        sw.forward(0, frame, 0, 60, 0, d);
        assertThat(d.egressCount()).isEqualTo(1);
        assertThat(sw.port(d.egressPort(0)).name()).isEqualTo("b");
    }

    @Test
    void a_multicast_source_mac_is_never_forwarded() {
        SwitchFixture f = SwitchFixture.learning();
        f.send("nested", untagged(VM1, 0x01005e000001L));
        assertThat(f.d.dropReason()).isEqualTo(DropReason.MULTICAST_SOURCE);
        assertThat(f.sw.fdb().size()).isZero();
    }

    @Test
    void turning_promiscuous_mode_on_and_off_on_a_live_port_group_takes_effect_at_once() {
        SwitchFixture f = SwitchFixture.vdsDefaults();
        f.send("vm1", untagged(VM2, VM1));
        assertThat(f.egress()).containsExactly("vm2");
        PortGroupPolicy nested = f.sw.portGroup("nested").policy();
        f.sw.updatePortGroup(nested.withSecurity(nested.security().withPromiscuous(true)));
        f.send("vm1", untagged(VM2, VM1));
        assertThat(f.egress()).containsExactly("vm2", "nested");
        f.sw.updatePortGroup(nested);
        f.send("vm1", untagged(VM2, VM1));
        assertThat(f.egress()).containsExactly("vm2");
    }
}
