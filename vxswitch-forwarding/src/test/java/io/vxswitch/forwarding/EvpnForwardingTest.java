package io.vxswitch.forwarding;

import io.vxswitch.forwarding.fdb.Fdb;
import io.vxswitch.forwarding.fdb.FdbEntryType;
import io.vxswitch.forwarding.fdb.FdbJournal;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.forwarding.trace.Trace;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.vxswitch.forwarding.TestFrames.tagged;
import static io.vxswitch.forwarding.TestFrames.untagged;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A KVM host whose tunnel's remote MACs come from BGP EVPN: VM3 on a vNIC port, an uplink to a physical network, VLAN
 * 119 stretched to two remote VTEPs; VM1 lives behind VTEP A, as a type-2 route said.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EvpnForwardingTest {
    static final long VM3 = 0x525400000003L;
    static final long VM1 = 0x005056000001L;
    static final long VM2 = 0x005056000002L;
    static final int VTEP_A = 0;
    static final int VTEP_C = 1;

    private final Switch sw = new Switch(SwitchOptions.defaults("kvm").withMaxPorts(8));
    private final ForwardingDecision d = sw.newDecision();
    private final int tunnel;

    EvpnForwardingTest() {
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan119", VlanPolicy.access(119)));
        sw.addPortGroup(new PortGroupPolicy("trunk", VlanPolicy.trunk(VlanRange.parseList("119"), 0),
            SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.ENABLED));
        sw.addVnicPort("vm3", "vlan119", VM3);
        sw.addUplink("up0", "trunk");
        tunnel = sw.addTunnelPort("vx119", "trunk");
        sw.setRemoteNamer(id -> id == VTEP_A ? "192.0.2.1" : "192.0.2.3");
        sw.fdb().addEvpn(119, VM1, tunnel, VTEP_A, 4);
    }

    private void fromTunnel(int remote, MemorySegment frame, Trace trace) {
        sw.forwardFromTunnel(tunnel, remote, 119, frame, 0, (int) frame.byteSize(), 0, d, trace);
    }

    private List<String> egress() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < d.egressCount(); i++) {
            Port p = sw.port(d.egressPort(i));
            out.add(p.isTunnel() ? p.name() + "/" + d.egressRemote(i) : p.name());
        }
        return out;
    }

    @Test
    void a_frame_to_an_evpn_mac_goes_to_its_remote_vtep() {
        sw.forward(sw.port("vm3").id(), untagged(VM1, VM3), 0, 60, 0, d);

        assertThat(egress()).containsExactly("vx119/" + VTEP_A);
    }

    @Test
    void a_frame_from_an_evpn_mac_through_any_vtep_of_its_tunnel_leaves_the_entry_as_it_is() {
        Trace t = new Trace();
        fromTunnel(VTEP_C, untagged(VM3, VM1), t);

        assertThat(egress()).containsExactly("vm3");
        assertThat(t.render()).contains("is an EVPN entry behind a remote VTEP of port vx119: unchanged");
        assertThat(sw.fdb().evpnSequence(119, VM1)).isEqualTo(4);
        assertThat(Fdb.destinationRemote(sw.fdb().destination(119, VM1))).isEqualTo(VTEP_A);
    }

    @Test
    void a_vm_that_migrates_here_moves_from_the_evpn_entry_to_a_learned_one_and_the_journal_says_so() {
        sw.fdb().enableJournal(64);
        sw.fdb().drainJournal(new Journal());

        sw.forward(sw.port("up0").id(), tagged(VM3, VM1, 119), 0, 64, 0, d);

        FdbRow row = sw.fdbRows(0).stream().filter(r -> r.mac() == VM1).findFirst().orElseThrow();
        assertThat(row).isEqualTo(new FdbRow("up0", 119, VM1, FdbEntryType.LEARNED, 0, 1, Fdb.NO_REMOTE,
            Fdb.NO_SEQUENCE));
        Journal journal = new Journal();
        sw.fdb().drainJournal(journal);
        assertThat(journal.events).containsExactly("MOVED 119 " + VM1 + " up0");
    }

    @Test
    void fdb_show_lists_evpn_rows_with_their_remote_vtep_and_sequence_number() {
        sw.forward(sw.port("up0").id(), tagged(VM3, VM2, 119), 0, 64, 0, d);
        sw.fdb().addEvpn(119, 0x0200_0000_0001L, tunnel, VTEP_C, 4_294_967_295L);

        assertThat(sw.showFdb(0)).isEqualTo("""
            port   VLAN  MAC                  Age  Type     Moves         Seq  Remote VTEP
            up0     119  00:50:56:00:00:02      0  learned      0
            vm3     119  52:54:00:00:00:03      -  vnic         0
            vx119   119  00:50:56:00:00:01      -  evpn         0           4  192.0.2.1
            vx119   119  02:00:00:00:00:01      -  evpn         0  4294967295  192.0.2.3
            """);
    }

    @Test
    void without_evpn_rows_fdb_show_is_as_it_was() {
        sw.fdb().removeEvpn(119, VM1);
        sw.forward(sw.port("up0").id(), tagged(VM3, VM2, 119), 0, 64, 0, d);
        fromTunnel(VTEP_C, untagged(VM3, VM1), null);

        assertThat(sw.showFdb(0)).isEqualTo("""
            port   VLAN  MAC                  Age  Type     Moves  Remote VTEP
            up0     119  00:50:56:00:00:02      0  learned      0
            vx119   119  00:50:56:00:00:01      0  learned      0  192.0.2.3
            vm3     119  52:54:00:00:00:03      -  vnic         0
            """);
        sw.fdb().removeRemote(VTEP_C);
        assertThat(sw.showFdb(0)).isEqualTo("""
            port  VLAN  MAC                  Age  Type     Moves
            up0    119  00:50:56:00:00:02      0  learned      0
            vm3    119  52:54:00:00:00:03      -  vnic         0
            """);
    }

    private final class Journal implements FdbJournal.Visitor {
        final List<String> events = new ArrayList<>();

        @Override
        public void resync() {
        }

        @Override
        public void event(FdbJournal.Kind kind, int vlan, long mac, int port, int remote) {
            events.add(kind + " " + vlan + " " + mac + " " + sw.port(port).name()
                + (remote == Fdb.NO_REMOTE ? "" : " " + remote));
        }
    }
}
