package io.vxswitch.forwarding.fdb;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** EVPN entries: MACs behind remote VTEPs of a tunnel port, installed by the BGP EVPN control plane (RFC 7432). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FdbEvpnTest {
    private static final long SECRET = 0x1234_5678_9abc_def0L;
    private static final int NO_LIMIT = Integer.MAX_VALUE;
    private static final long A = 0x02_00_00_00_00_0aL;
    private static final long B = 0x02_00_00_00_00_0bL;
    /** The tunnel port; VTEP_1 and VTEP_2 are remote VTEPs behind it. */
    private static final int TUNNEL = 7;
    private static final int VTEP_1 = 1;
    private static final int VTEP_2 = 2;

    private final Fdb fdb = new Fdb(16, 8, SECRET);

    private static long seconds(long s) {
        return s * 1_000_000_000L;
    }

    @Test
    void an_evpn_mac_is_a_destination_behind_its_remote_vtep_with_its_sequence_number() {
        assertThat(fdb.addEvpn(10, A, TUNNEL, VTEP_1, 7)).isTrue();

        long to = fdb.destination(10, A);
        assertThat(Fdb.destinationPort(to)).isEqualTo(TUNNEL);
        assertThat(Fdb.destinationRemote(to)).isEqualTo(VTEP_1);
        assertThat(fdb.evpnSequence(10, A)).isEqualTo(7);
        assertThat(fdb.evpnSequence(20, A)).isEqualTo(Fdb.NO_SEQUENCE);
        assertThat(fdb.sourcePort(10, A)).isEqualTo(TUNNEL);
        assertThat(entries()).containsExactly(new Row(10, A, TUNNEL, FdbEntryType.EVPN, 0, 0, VTEP_1, 7));
        assertThat(fdb.size()).isEqualTo(1);
        assertThat(fdb.learnedOn(TUNNEL)).isZero();
        assertThat(fdb.entryIsStatic(fdb.entryId(10, A))).isFalse();
    }

    @Test
    void a_frame_from_an_evpn_mac_on_its_tunnel_port_changes_nothing_whichever_vtep_sent_it() {
        fdb.addEvpn(10, A, TUNNEL, VTEP_1, 7);

        assertThat(fdb.learn(10, A, TUNNEL, VTEP_1, NO_LIMIT, seconds(1))).isEqualTo(LearnOutcome.EVPN_ENTRY);
        assertThat(fdb.learn(0, 10, A, TUNNEL, VTEP_2, NO_LIMIT, seconds(2))).isEqualTo(LearnOutcome.EVPN_ENTRY);
        assertThat(fdb.wouldLearn(10, A, TUNNEL, VTEP_2, NO_LIMIT, seconds(3))).isEqualTo(LearnOutcome.EVPN_ENTRY);

        assertThat(entries()).containsExactly(new Row(10, A, TUNNEL, FdbEntryType.EVPN, 0, 0, VTEP_1, 7));
        assertThat(fdb.stats()).isEqualTo(new FdbStats(1, 16, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void a_frame_from_an_evpn_mac_on_a_local_port_moves_it_there_as_a_learned_mac() {
        fdb.addEvpn(10, A, TUNNEL, VTEP_1, 7);

        assertThat(fdb.wouldLearn(10, A, 3, Fdb.NO_REMOTE, NO_LIMIT, seconds(1))).isEqualTo(LearnOutcome.MOVED);
        assertThat(fdb.learn(10, A, 3, NO_LIMIT, seconds(1))).isEqualTo(LearnOutcome.MOVED);

        assertThat(fdb.destination(10, A)).isEqualTo((long) 3 << 32 | 0xFFFF_FFFFL);
        assertThat(entries()).containsExactly(
            new Row(10, A, 3, FdbEntryType.LEARNED, seconds(1), 1, Fdb.NO_REMOTE, Fdb.NO_SEQUENCE));
        assertThat(fdb.evpnSequence(10, A)).isEqualTo(Fdb.NO_SEQUENCE);
        assertThat(fdb.learnedOn(3)).isEqualTo(1);
        assertThat(fdb.learnedOn(TUNNEL)).isZero();
        assertThat(fdb.stats().moved()).isEqualTo(1);
        assertThat(fdb.lastMove()).isEqualTo(new Fdb.MacMove(10, A, TUNNEL, 3));
        assertThat(fdb.learn(10, A, 3, NO_LIMIT, seconds(2))).isEqualTo(LearnOutcome.REFRESHED);
        assertThat(fdb.expire(seconds(302))).as("now it ages like any learned MAC").isEqualTo(1);
    }

    @Test
    void the_move_from_remote_to_local_respects_the_local_ports_limit() {
        fdb.learn(10, B, 3, NO_LIMIT, 0);
        fdb.addEvpn(10, A, TUNNEL, VTEP_1, 7);

        assertThat(fdb.wouldLearn(10, A, 3, Fdb.NO_REMOTE, 1, seconds(1))).isEqualTo(LearnOutcome.LIMIT_REACHED);
        assertThat(fdb.learn(10, A, 3, 1, seconds(1))).isEqualTo(LearnOutcome.LIMIT_REACHED);

        assertThat(fdb.evpnSequence(10, A)).isEqualTo(7);
        assertThat(fdb.stats().limitReached()).isEqualTo(1);
    }

    @Test
    void a_mac_tossed_between_the_control_plane_and_a_local_port_is_frozen_as_the_evpn_entry() {
        fdb.setMacMoveGuard(new MacMoveGuard.Options(2, seconds(10), seconds(30)));
        fdb.addEvpn(10, A, TUNNEL, VTEP_1, 1);
        assertThat(fdb.learn(10, A, 3, NO_LIMIT, seconds(1))).isEqualTo(LearnOutcome.MOVED);
        fdb.addEvpn(10, A, TUNNEL, VTEP_1, 2);
        assertThat(fdb.learn(10, A, 3, NO_LIMIT, seconds(2))).isEqualTo(LearnOutcome.MOVED);
        fdb.addEvpn(10, A, TUNNEL, VTEP_1, 3);

        assertThat(fdb.learn(10, A, 3, NO_LIMIT, seconds(3))).as("third move in the window").isEqualTo(LearnOutcome.FROZEN);
        assertThat(fdb.learn(10, A, 4, NO_LIMIT, seconds(4))).isEqualTo(LearnOutcome.FROZEN);
        assertThat(fdb.evpnSequence(10, A)).as("the control plane's entry stays").isEqualTo(3);
        assertThat(fdb.stats().flaps()).isEqualTo(1);
        assertThat(fdb.stats().frozenRefused()).isEqualTo(2);
        assertThat(fdb.learn(10, A, 3, NO_LIMIT, seconds(34))).as("after the hold").isEqualTo(LearnOutcome.MOVED);
    }

    @Test
    void an_evpn_entry_replaces_a_learned_mac_and_keeps_its_move_count() {
        fdb.learn(10, A, 1, NO_LIMIT, 0);
        fdb.learn(10, A, 2, NO_LIMIT, 0);

        assertThat(fdb.addEvpn(10, A, TUNNEL, VTEP_1, 5)).isTrue();

        assertThat(entries()).containsExactly(new Row(10, A, TUNNEL, FdbEntryType.EVPN, 0, 1, VTEP_1, 5));
        assertThat(fdb.learnedOn(2)).isZero();
        assertThat(fdb.expire(seconds(1000))).isZero();
        assertThat(fdb.size()).isEqualTo(1);
    }

    @Test
    void an_evpn_entry_is_replaced_by_a_newer_route() {
        fdb.addEvpn(10, A, TUNNEL, VTEP_1, 5);

        assertThat(fdb.addEvpn(10, A, 6, VTEP_2, 6)).isTrue();

        assertThat(entries()).containsExactly(new Row(10, A, 6, FdbEntryType.EVPN, 0, 0, VTEP_2, 6));
        assertThat(fdb.size()).isEqualTo(1);
        fdb.removePort(TUNNEL);
        assertThat(fdb.size()).as("the old tunnel port holds nothing any more").isEqualTo(1);
    }

    @Test
    void a_static_entry_or_a_vnic_owns_its_key_against_the_control_plane() {
        fdb.addStatic(10, A, 1);
        fdb.setVnic(2, B, vlan -> vlan == 10);

        assertThat(fdb.addEvpn(10, A, TUNNEL, VTEP_1, 1)).isFalse();
        assertThat(fdb.addEvpn(20, B, TUNNEL, VTEP_1, 1)).as("a vNIC's MAC, in any VLAN").isFalse();

        assertThat(fdb.portOf(10, A)).isEqualTo(1);
        assertThat(fdb.evpnSequence(10, A)).isEqualTo(Fdb.NO_SEQUENCE);
        assertThat(fdb.size()).isEqualTo(1);
    }

    @Test
    void a_static_entry_replaces_an_evpn_one() {
        fdb.learn(10, A, 1, NO_LIMIT, 0);
        fdb.learn(10, A, 2, NO_LIMIT, 0);
        fdb.addEvpn(10, A, TUNNEL, VTEP_1, 5);

        assertThat(fdb.addStatic(10, A, 3)).isTrue();

        assertThat(entries()).containsExactly(new Row(10, A, 3, FdbEntryType.STATIC, 0, 0, Fdb.NO_REMOTE,
            Fdb.NO_SEQUENCE));
        fdb.removePort(TUNNEL);
        assertThat(fdb.size()).isEqualTo(1);
    }

    @Test
    void a_vnic_that_takes_an_evpn_mac_wins_in_its_vlan_and_gives_it_back() {
        fdb.addEvpn(10, A, TUNNEL, VTEP_1, 5);

        fdb.setVnic(2, A, vlan -> vlan == 10);
        assertThat(Fdb.destinationPort(fdb.destination(10, A))).isEqualTo(2);
        assertThat(fdb.learn(10, A, 3, NO_LIMIT, 0)).isEqualTo(LearnOutcome.VNIC_MAC);
        assertThat(fdb.learn(10, A, TUNNEL, VTEP_1, NO_LIMIT, 0)).isEqualTo(LearnOutcome.VNIC_MAC);

        fdb.removeVnic(2);
        assertThat(Fdb.destinationRemote(fdb.destination(10, A))).isEqualTo(VTEP_1);

        fdb.setVnic(2, A, vlan -> vlan == 10);
        assertThat(fdb.removeEvpn(10, A)).isTrue();
        assertThat(Fdb.destinationPort(fdb.destination(10, A))).as("the vNIC's direct entry is back").isEqualTo(2);
        assertThat(fdb.size()).isZero();
    }

    @Test
    void evpn_entries_never_age_and_flushing_learned_macs_keeps_them() {
        fdb.addEvpn(10, A, TUNNEL, VTEP_1, 5);
        fdb.learn(10, B, TUNNEL, VTEP_1, NO_LIMIT, 0);

        assertThat(fdb.nextExpiry()).isEqualTo(seconds(300));
        assertThat(fdb.expire(seconds(10_000))).isEqualTo(1);
        assertThat(fdb.nextExpiry()).isEqualTo(Long.MAX_VALUE);
        assertThat(fdb.flushLearned()).isZero();
        assertThat(fdb.flushPort(TUNNEL)).isZero();

        assertThat(fdb.evpnSequence(10, A)).isEqualTo(5);
    }

    @Test
    void evpn_entries_do_not_count_against_the_tunnel_ports_learning_limit() {
        fdb.addEvpn(10, A, TUNNEL, VTEP_1, 5);

        assertThat(fdb.learn(10, B, TUNNEL, VTEP_1, 1, 0)).isEqualTo(LearnOutcome.LEARNED);
    }

    @Test
    void a_full_table_evicts_learned_macs_for_evpn_entries_never_the_other_way() {
        Fdb small = new Fdb(2, 8, SECRET);
        small.addEvpn(10, A, TUNNEL, VTEP_1, 5);
        small.learn(10, B, 1, NO_LIMIT, 0);

        assertThat(small.learn(10, 0x0cL, 1, NO_LIMIT, 1)).as("evicts B").isEqualTo(LearnOutcome.LEARNED);
        assertThat(small.addEvpn(10, B, TUNNEL, VTEP_1, 1)).as("evicts 0x0c").isTrue();
        assertThat(small.learn(10, 0x0dL, 1, NO_LIMIT, 2)).isEqualTo(LearnOutcome.TABLE_FULL);
        assertThat(small.addEvpn(10, 0x0dL, TUNNEL, VTEP_1, 1)).isFalse();
        assertThat(small.stats().evicted()).isEqualTo(2);
        assertThat(small.size()).isEqualTo(2);
    }

    @Test
    void the_vtep_going_away_takes_its_evpn_entries_and_only_those() {
        fdb.addEvpn(10, A, TUNNEL, VTEP_1, 5);
        fdb.addEvpn(10, B, TUNNEL, VTEP_2, 5);
        fdb.learn(20, A, TUNNEL, VTEP_1, NO_LIMIT, 0);

        assertThat(fdb.removeRemote(VTEP_1)).isEqualTo(2);

        assertThat(entries()).containsExactly(new Row(10, B, TUNNEL, FdbEntryType.EVPN, 0, 0, VTEP_2, 5));
        assertThat(fdb.removePort(TUNNEL)).isEqualTo(1);
        assertThat(fdb.size()).isZero();
    }

    @Test
    void only_remove_evpn_removes_an_evpn_entry_and_it_removes_nothing_else() {
        fdb.addEvpn(10, A, TUNNEL, VTEP_1, 5);
        fdb.learn(10, B, 1, NO_LIMIT, 0);
        fdb.addStatic(20, B, 1);

        assertThat(fdb.remove(10, A)).as("the operator's remove").isFalse();
        assertThat(fdb.removeEvpn(10, B)).isFalse();
        assertThat(fdb.removeEvpn(20, B)).isFalse();
        assertThat(fdb.removeEvpn(30, B)).isFalse();
        assertThat(fdb.removeEvpn(10, A)).isTrue();

        assertThat(fdb.portOf(10, A)).isEqualTo(Fdb.NOT_FOUND);
        assertThat(fdb.size()).isEqualTo(2);
    }

    @Test
    void sequence_numbers_are_four_octets_unsigned_and_a_remote_vtep_is_required() {
        assertThat(fdb.addEvpn(10, A, TUNNEL, VTEP_1, 0xFFFF_FFFFL)).isTrue();
        assertThat(fdb.evpnSequence(10, A)).isEqualTo(0xFFFF_FFFFL);

        assertThatThrownBy(() -> fdb.addEvpn(10, A, TUNNEL, VTEP_1, 1L << 32)).hasMessageContaining("4294967296");
        assertThatThrownBy(() -> fdb.addEvpn(10, A, TUNNEL, VTEP_1, -1)).hasMessageContaining("sequence -1");
        assertThatThrownBy(() -> fdb.addEvpn(10, A, TUNNEL, Fdb.NO_REMOTE, 1)).hasMessageContaining("remote -1");
        assertThatThrownBy(() -> fdb.addEvpn(10, A, 8, VTEP_1, 1)).hasMessageContaining("port 8");
    }

    record Row(int vlan, long mac, int port, FdbEntryType type, long lastSeen, int moves, int remote, long sequence) {
    }

    private List<Row> entries() {
        List<Row> rows = new ArrayList<>();
        fdb.forEach(new FdbVisitor() {
            @Override
            public void entry(int vlan, long mac, int port, FdbEntryType type, long lastSeen, int moves, int remote) {
                throw new AssertionError("forEach passes the sequence number");
            }

            @Override
            public void entry(int vlan, long mac, int port, FdbEntryType type, long lastSeen, int moves, int remote,
                              long sequence) {
                rows.add(new Row(vlan, mac, port, type, lastSeen, moves, remote, sequence));
            }
        });
        return rows;
    }
}
