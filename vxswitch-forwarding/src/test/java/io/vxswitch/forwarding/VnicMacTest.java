package io.vxswitch.forwarding;

import io.vxswitch.forwarding.fdb.FdbEntryType;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.forwarding.trace.Trace;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.vxswitch.forwarding.TestFrames.BROADCAST;
import static io.vxswitch.forwarding.TestFrames.tagged;
import static io.vxswitch.forwarding.TestFrames.untagged;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MACs of local vNICs, which a VDS knows without learning: a vNIC owns its effective MAC in every VLAN, so the
 * MAC is never learned anywhere else, and it is a known destination in each VLAN its port group carries.
 *
 * <p>Ports: uplink1=0 (trunk of all VLANs), vm1=1 (access 119, MAC changes accept), guest=2 (trunk 100-110 with VLAN 0 native, a
 * VGT guest), nested=3 (access 119, learns, forged transmits accept), vx=4 (tunnel, VLANs 100-200, learns).
 */
class VnicMacTest {
    static final long VM1 = 0x005056000001L;
    static final long GUEST = 0x005056000002L;
    static final long NESTED = 0x005056000009L;
    static final long VM3 = 0x525400000003L;
    static final long OUTSIDE = 0x00aabb000010L;
    static final int REMOTE = 0;
    static final long SECOND = 1_000_000_000L;

    private final Switch sw = new Switch(SwitchOptions.defaults("esxi").withMaxPorts(8));
    private final ForwardingDecision d = sw.newDecision();
    private long now = SECOND;

    VnicMacTest() {
        sw.addPortGroup(PortGroupPolicy.vdsDefault("uplinks", VlanPolicy.trunkAll()));
        sw.addPortGroup(new PortGroupPolicy("vlan119", VlanPolicy.access(119),
            SecurityPolicy.VDS_DEFAULT.withMacChanges(true), MacLearningPolicy.DISABLED));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("guests", VlanPolicy.trunk(VlanRange.parseList("100-110"), 0)));
        sw.addPortGroup(new PortGroupPolicy("nested", VlanPolicy.access(119),
            SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true), MacLearningPolicy.ENABLED));
        sw.addPortGroup(new PortGroupPolicy("vxlan", VlanPolicy.trunk(VlanRange.parseList("100-200"), 0),
            SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.ENABLED));
        sw.addUplink("uplink1", "uplinks");
        sw.addVnicPort("vm1", "vlan119", VM1);
        sw.addVnicPort("guest", "guests", GUEST);
        sw.addVnicPort("nested", "nested", NESTED);
        sw.addTunnelPort("vx", "vxlan");
    }

    private void send(String port, MemorySegment frame) {
        sw.forward(sw.port(port).id(), frame, 0, (int) frame.byteSize(), now, d);
    }

    private void fromTunnel(int vlan, MemorySegment frame) {
        sw.forwardFromTunnel(sw.port("vx").id(), REMOTE, vlan, frame, 0, (int) frame.byteSize(), now, d, null);
    }

    private List<String> egress() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < d.egressCount(); i++) {
            out.add(sw.port(d.egressPort(i)).name());
        }
        return out;
    }

    @Test
    void a_trunk_vnics_mac_is_a_known_destination_in_every_vlan_its_port_group_carries() {
        for (int vlan : new int[] {100, 105, 110}) {
            fromTunnel(vlan, untagged(GUEST, VM3));
            assertThat(egress()).as("VLAN %d", vlan).containsExactly("guest");
            assertThat(d.egressTag(0)).isEqualTo(vlan);
        }
        send("uplink1", untagged(GUEST, OUTSIDE));
        assertThat(egress()).as("native VLAN 0").containsExactly("guest");
        assertThat(d.egressTag(0)).isEqualTo(VlanPolicy.UNTAGGED);
    }

    @Test
    void in_a_vlan_its_port_group_does_not_carry_a_vnics_mac_is_an_ordinary_unknown_destination() {
        send("guest", tagged(VM1, GUEST, 105));
        assertThat(egress()).containsExactlyInAnyOrder("uplink1", "vx");
        fromTunnel(150, untagged(GUEST, VM3));
        assertThat(egress()).containsExactly("uplink1");
    }

    @Test
    void a_vnics_mac_is_never_learned_from_a_tunnel_in_any_vlan() {
        fromTunnel(100, untagged(BROADCAST, VM1));
        fromTunnel(150, untagged(BROADCAST, VM1));
        fromTunnel(105, untagged(BROADCAST, GUEST));
        fromTunnel(150, untagged(BROADCAST, GUEST));
        assertThat(sw.fdb().size()).isZero();
        send("uplink1", tagged(GUEST, OUTSIDE, 105));
        assertThat(egress()).containsExactly("guest");
    }

    @Test
    void a_vnics_mac_is_never_learned_on_a_learning_vnic_and_the_trace_names_the_owner() {
        Trace t = new Trace();
        sw.forward(sw.port("nested").id(), untagged(VM1, VM1), 0, 60, now, d, t);
        assertThat(t.render()).contains("00:50:56:00:00:01 is the MAC of vNIC vm1: never learned elsewhere");
        t = new Trace();
        sw.forward(sw.port("nested").id(), untagged(VM1, NESTED), 0, 60, now, d, t);
        assertThat(t.render()).contains("00:50:56:00:00:09 is this vNIC's own MAC");
        t = Trace.probe();
        sw.forward(sw.port("nested").id(), untagged(VM1, GUEST), 0, 60, now, d, t);
        assertThat(t.render()).contains("00:50:56:00:00:02 is the MAC of vNIC guest: never learned elsewhere");
        assertThat(sw.fdb().size()).isZero();
    }

    @Test
    void a_static_entry_for_a_vnics_mac_yields_to_the_vnic_in_the_vlans_the_vnic_carries() {
        sw.addStaticMac(119, VM1, "uplink1");
        sw.addStaticMac(105, VM1, "uplink1");
        send("nested", untagged(VM1, VM3));
        assertThat(egress()).containsExactly("vm1");
        send("guest", tagged(VM1, GUEST, 105));
        assertThat(egress()).containsExactly("uplink1");
        assertThat(sw.fdbRows(now)).extracting(FdbRow::toString)
            .contains("vm1 vlan 119 00:50:56:00:00:01 vnic", "uplink1 vlan 119 00:50:56:00:00:01 static",
                "uplink1 vlan 105 00:50:56:00:00:01 static");

        sw.fdb().remove(119, VM1);
        send("nested", untagged(VM1, VM3));
        assertThat(egress()).as("the vNIC once the static entry is gone").containsExactly("vm1");
        sw.addStaticMac(119, VM1, "uplink1");
        sw.removePort("vm1");
        send("nested", untagged(VM1, VM3));
        assertThat(egress()).as("the static entry once the vNIC is gone").containsExactly("uplink1");
    }

    @Test
    void a_learned_entry_for_a_mac_a_vnic_takes_later_is_shadowed_not_refreshed_and_back_when_the_vnic_lets_go() {
        send("nested", untagged(BROADCAST, VM3));
        assertThat(sw.fdb().portOf(119, VM3)).isEqualTo(sw.port("nested").id());
        sw.setEffectiveMac("vm1", VM3);
        now += 10 * SECOND;
        send("nested", untagged(BROADCAST, VM3));
        assertThat(sw.fdbRows(now)).filteredOn(r -> r.type() == FdbEntryType.LEARNED).singleElement()
            .satisfies(r -> assertThat(r.ageSeconds()).as("not refreshed").isEqualTo(10));
        send("uplink1", tagged(VM3, OUTSIDE, 119));
        assertThat(egress()).containsExactly("vm1");

        sw.setEffectiveMac("vm1", VM1);
        send("uplink1", tagged(VM3, OUTSIDE, 119));
        assertThat(egress()).containsExactly("nested");
        send("nested", untagged(BROADCAST, VM3));
        assertThat(sw.fdbRows(now)).filteredOn(r -> r.type() == FdbEntryType.LEARNED).singleElement()
            .satisfies(r -> assertThat(r.ageSeconds()).as("refreshed again").isZero());
    }

    @Test
    void after_a_mac_change_the_old_mac_is_learned_like_any_other_and_the_new_one_is_known() {
        long changed = 0x02_00_00_00_00_99L;
        sw.setEffectiveMac("vm1", changed);
        send("nested", untagged(changed, VM1));
        assertThat(sw.fdb().portOf(119, VM1)).isEqualTo(sw.port("nested").id());
        send("uplink1", tagged(changed, OUTSIDE, 119));
        assertThat(egress()).containsExactly("vm1");
    }

    @Test
    void a_removed_vnics_mac_is_learned_like_any_other() {
        sw.removePort("vm1");
        send("nested", untagged(BROADCAST, VM1));
        assertThat(sw.fdb().portOf(119, VM1)).isEqualTo(sw.port("nested").id());
    }

    @Test
    void a_new_access_vlan_moves_the_vnics_mac_with_it() {
        sw.updatePortGroup(sw.portGroup("vlan119").policy().withVlan(VlanPolicy.access(105)));
        send("guest", tagged(VM1, GUEST, 105));
        assertThat(egress()).containsExactly("vm1");
        send("nested", untagged(VM1, NESTED));
        assertThat(egress()).as("unknown unicast in VLAN 119").containsExactlyInAnyOrder("uplink1", "vx");
        sw.updatePortGroup(sw.portGroup("guests").policy().withVlan(VlanPolicy.access(106)));
        fromTunnel(106, untagged(GUEST, VM3));
        assertThat(egress()).containsExactly("guest");
        fromTunnel(105, untagged(GUEST, VM3));
        assertThat(egress()).doesNotContain("guest");
    }

    @Test
    void a_broadcast_from_an_uplink_with_a_vnics_source_is_a_reflection_in_any_vlan() {
        send("uplink1", tagged(BROADCAST, VM1, 105));
        assertThat(d.dropReason()).isEqualTo(DropReason.REVERSE_PATH);
        send("uplink1", tagged(BROADCAST, GUEST, 150));
        assertThat(d.dropReason()).isEqualTo(DropReason.REVERSE_PATH);
    }

    @Test
    void the_fdb_shows_each_vnic_once_in_the_vlan_of_its_port_group() {
        Switch s = new Switch(SwitchOptions.defaults("h").withMaxPorts(4));
        s.addPortGroup(PortGroupPolicy.vdsDefault("plain", VlanPolicy.none()));
        s.addVnicPort("a", "plain", VM1);
        assertThat(s.showFdb(0)).contains("a        0  00:50:56:00:00:01      -  vnic");
        assertThat(sw.fdbRows(now)).filteredOn(r -> r.type() == FdbEntryType.VNIC)
            .extracting(FdbRow::port, FdbRow::vlan)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("guest", FdbRow.ANY_VLAN),
                org.assertj.core.groups.Tuple.tuple("nested", 119), org.assertj.core.groups.Tuple.tuple("vm1", 119));
        assertThat(sw.showFdb(now)).contains("guest    any  00:50:56:00:00:02      -  vnic");
        assertThat(sw.fdb().size()).isZero();
    }
}
