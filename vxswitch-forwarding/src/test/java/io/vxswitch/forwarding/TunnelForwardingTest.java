package io.vxswitch.forwarding;

import io.vxswitch.forwarding.fdb.Fdb;
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

/** The KVM host of the seed: VM3 and VM4 on vNIC ports, VLAN 119 stretched to remote VTEPs by a tunnel port. */
class TunnelForwardingTest {
    static final long VM3 = 0x525400000003L;
    static final long VM4 = 0x525400000004L;
    static final long VM1 = 0x005056000001L;
    static final long VM2 = 0x005056000002L;
    static final int VTEP_A = 0;
    static final int VTEP_C = 1;

    private final Switch sw = new Switch(SwitchOptions.defaults("kvm").withMaxPorts(8));
    private final ForwardingDecision d = sw.newDecision();
    private final int tunnel;

    TunnelForwardingTest() {
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan119", VlanPolicy.access(119)));
        sw.addPortGroup(new PortGroupPolicy("vxlan", VlanPolicy.trunk(VlanRange.parseList("119"), 0),
            SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.ENABLED));
        sw.addVnicPort("vm3", "vlan119", VM3);
        sw.addVnicPort("vm4", "vlan119", VM4);
        tunnel = sw.addTunnelPort("vx119", "vxlan");
        sw.setRemoteNamer(id -> id == VTEP_A ? "192.0.2.1" : "192.0.2.3");
    }

    private void fromTunnel(int remote, int vlan, MemorySegment frame) {
        sw.forwardFromTunnel(tunnel, remote, vlan, frame, 0, (int) frame.byteSize(), 0, d, null);
    }

    private void fromPort(String port, MemorySegment frame) {
        sw.forward(sw.port(port).id(), frame, 0, (int) frame.byteSize(), 0, d);
    }

    private List<String> egress() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < d.egressCount(); i++) {
            Port p = sw.port(d.egressPort(i));
            out.add(p.isTunnel() ? p.name() + (d.egressRemote(i) == ForwardingDecision.FLOOD ? "/flood"
                : "/" + d.egressRemote(i)) : p.name());
        }
        return out;
    }

    @Test
    void broadcast_from_a_local_vm_is_replicated_to_the_flood_list_untagged() {
        fromPort("vm3", untagged(BROADCAST, VM3));
        assertThat(egress()).containsExactlyInAnyOrder("vm4", "vx119/flood");
        int i = egress().indexOf("vx119/flood");
        assertThat(d.egressTag(i)).isEqualTo(-1);
    }

    @Test
    void a_mac_behind_a_remote_vtep_is_learned_with_that_vtep_and_unicast_goes_to_it_only() {
        fromTunnel(VTEP_A, 119, untagged(BROADCAST, VM1));
        assertThat(egress()).containsExactlyInAnyOrder("vm3", "vm4");
        fromPort("vm3", untagged(VM1, VM3));
        assertThat(egress()).containsExactly("vx119/" + VTEP_A);
        assertThat(sw.showFdb(0)).contains("vx119").contains("192.0.2.1").contains("Remote VTEP");
    }

    @Test
    void unknown_unicast_from_a_local_vm_is_flooded_into_the_tunnel() {
        fromPort("vm3", untagged(VM2, VM3));
        assertThat(egress()).containsExactly("vx119/flood");
    }

    @Test
    void split_horizon_never_sends_a_frame_from_a_tunnel_back_into_a_tunnel() {
        fromTunnel(VTEP_C, 119, untagged(BROADCAST, VM2));
        assertThat(egress()).doesNotContain("vx119/flood");
        fromTunnel(VTEP_A, 119, untagged(VM2, VM1));
        assertThat(d.dropReason()).isEqualTo(DropReason.SPLIT_HORIZON);
        fromTunnel(VTEP_A, 119, untagged(0x02aa00000001L, VM1));
        assertThat(d.dropReason()).isEqualTo(DropReason.UNKNOWN_UNICAST);
    }

    @Test
    void a_mac_that_turns_up_behind_another_vtep_moves_and_the_move_is_counted() {
        fromTunnel(VTEP_A, 119, untagged(BROADCAST, VM1));
        fromTunnel(VTEP_C, 119, untagged(BROADCAST, VM1));
        int entry = sw.fdb().entryId(119, VM1);
        assertThat(sw.fdb().entryRemote(entry)).isEqualTo(VTEP_C);
        assertThat(sw.fdb().stats().moved()).isEqualTo(1);
    }

    @Test
    void a_static_remote_entry_steers_unicast_to_its_vtep() {
        sw.addStaticRemoteMac(119, VM2, "vx119", VTEP_C);
        fromPort("vm4", untagged(VM2, VM4));
        assertThat(egress()).containsExactly("vx119/" + VTEP_C);
    }

    @Test
    void a_decapsulated_frame_with_an_inner_tag_is_discarded() {
        fromTunnel(VTEP_A, 119, tagged(VM3, VM1, 119));
        assertThat(d.dropReason()).isEqualTo(DropReason.INNER_TAG);
    }

    @Test
    void a_vni_mapped_to_a_vlan_the_tunnel_does_not_carry_is_dropped() {
        fromTunnel(VTEP_A, 120, untagged(VM3, VM1));
        assertThat(d.dropReason()).isEqualTo(DropReason.VLAN_NOT_ALLOWED);
    }

    @Test
    void the_trace_names_the_remote_vtep() {
        fromTunnel(VTEP_A, 119, untagged(BROADCAST, VM1));
        Trace t = new Trace();
        sw.forward(sw.port("vm3").id(), untagged(VM1, VM3), 0, 60, 0, d, t);
        assertThat(t.render()).contains("behind remote VTEP 192.0.2.1").contains("vx119 (VTEP 192.0.2.1)");
    }

    @Test
    void a_bridge_between_an_interface_and_a_tunnel_floods_unknown_unicast_into_the_tunnel() {
        // The article's CentOS VM: eth0 (an uplink of its own switch) bridged to the VXLAN tunnel.
        Switch centos = new Switch(SwitchOptions.defaults("centos").withMaxPorts(4));
        centos.addPortGroup(new PortGroupPolicy("eth0", VlanPolicy.none(), SecurityPolicy.VDS_DEFAULT,
            MacLearningPolicy.ENABLED));
        centos.addPortGroup(new PortGroupPolicy("vxlan", VlanPolicy.none(), SecurityPolicy.VDS_DEFAULT,
            MacLearningPolicy.ENABLED));
        int eth0 = centos.addUplink("eth0", "eth0");
        int vx = centos.addTunnelPort("vx119", "vxlan");
        ForwardingDecision e = centos.newDecision();
        centos.forward(eth0, untagged(VM3, VM1), 0, 60, 0, e);
        assertThat(e.egressCount()).isEqualTo(1);
        assertThat(e.egressPort(0)).isEqualTo(vx);
        centos.forwardFromTunnel(vx, VTEP_A, 0, untagged(VM1, VM3), 0, 60, 0, e, null);
        assertThat(e.egressCount()).isEqualTo(1);
        assertThat(e.egressPort(0)).isEqualTo(eth0);
        assertThat(centos.fdb().portOf(0, VM3)).isEqualTo(vx);
        assertThat(centos.fdb().portOf(0, VM1)).isEqualTo(eth0);
        assertThat(Fdb.NO_REMOTE).isEqualTo(centos.fdb().entryRemote(centos.fdb().entryId(0, VM1)));
    }
}
