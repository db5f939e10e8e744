package io.vxswitch.forwarding.lacp;

import org.junit.jupiter.api.Test;

import static io.vxswitch.forwarding.lacp.LacpWire.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

class AggregatorTest {
    private static final long US = 0x0200_0000_00AAL;
    private static final long PEER = 0x0200_0000_00BBL;
    private static final int IN_SYNC = LacpState.SYNCHRONIZATION | LacpState.COLLECTING | LacpState.DISTRIBUTING;

    @Test
    void two_active_ends_aggregate_both_members_within_the_aggregate_wait() {
        LacpWire w = new LacpWire(LacpWire.lag(US, LacpMode.ACTIVE, LacpRate.FAST, 2),
            LacpWire.lag(PEER, LacpMode.ACTIVE, LacpRate.FAST, 2)).up();
        w.run(SECOND);
        assertThat(w.a.distributing()).as("not before the 2 s aggregate wait").isZero();
        w.run(3 * SECOND);
        assertThat(w.a.distributing()).isEqualTo(0b11);
        assertThat(w.b.distributing()).isEqualTo(0b11);
        LagStatus s = w.a.status(null);
        assertThat(s.partner().system()).isEqualTo(PEER);
        for (LagStatus.Member m : s.members()) {
            assertThat(m.receive()).isEqualTo("current");
            assertThat(m.actor().state() & IN_SYNC).isEqualTo(IN_SYNC);
            assertThat(m.partner().state() & IN_SYNC).isEqualTo(IN_SYNC);
            assertThat(m.partner().system()).isEqualTo(PEER);
            assertThat(m.actor().stateFlags()).isEqualTo("activity timeout aggregation synchronized collecting"
                + " distributing");
        }
    }

    @Test
    void a_fast_partner_is_sent_a_lacpdu_every_second_and_no_more_than_three_a_second() {
        LacpWire w = new LacpWire(LacpWire.lag(US, LacpMode.ACTIVE, LacpRate.FAST, 1),
            LacpWire.lag(PEER, LacpMode.ACTIVE, LacpRate.FAST, 1)).up();
        w.run(10 * SECOND);
        long settled = w.framesAtoB;
        w.run(20 * SECOND);
        assertThat(w.framesAtoB - settled).isBetween(19L, 21L);
        assertThat(settled).as("10 s of start-up, at most 3 a second").isLessThanOrEqualTo(30);
    }

    @Test
    void a_partner_that_falls_silent_expires_after_three_seconds_at_fast_rate_then_defaults() {
        LacpWire w = new LacpWire(LacpWire.lag(US, LacpMode.ACTIVE, LacpRate.FAST, 2),
            LacpWire.lag(PEER, LacpMode.ACTIVE, LacpRate.FAST, 2)).up();
        w.run(5 * SECOND);
        w.carries[1][1] = false; // member 2 no longer hears its partner
        w.run(2_500_000_000L);
        assertThat(w.a.distributing()).as("2.5 s of silence: still carrying").isEqualTo(0b11);
        w.run(SECOND);
        assertThat(w.a.distributing()).as("3.5 s: member 2 expired").isEqualTo(0b01);
        LagStatus.Member m = w.a.status(null).members().get(1);
        assertThat(m.receive()).isEqualTo("expired");
        assertThat(m.actor().state() & LacpState.EXPIRED).isNotZero();
        assertThat(m.partner().state() & LacpState.SYNCHRONIZATION).isZero();
        assertThat(m.partnerExpired()).isEqualTo(1);
        w.run(3 * SECOND);
        m = w.a.status(null).members().get(1);
        assertThat(m.receive()).isEqualTo("defaulted");
        assertThat(m.selected()).isFalse();
        assertThat(m.actor().state() & LacpState.DEFAULTED).isNotZero();
        assertThat(m.partner()).isEqualTo(LacpPortInfo.NONE);
        assertThat(w.a.status(null).members().get(0).distributing()).isTrue();
    }

    @Test
    void a_slow_rate_actor_waits_ninety_seconds_for_its_partner() {
        LacpWire w = new LacpWire(LacpWire.lag(US, LacpMode.ACTIVE, LacpRate.SLOW, 1),
            LacpWire.lag(PEER, LacpMode.ACTIVE, LacpRate.SLOW, 1)).up();
        w.run(40 * SECOND);
        assertThat(w.a.distributing()).isEqualTo(1);
        w.carries[0][1] = false;
        w.run(80 * SECOND);
        assertThat(w.a.distributing()).as("80 s of silence at slow rate").isEqualTo(1);
        w.run(15 * SECOND);
        assertThat(w.a.distributing()).isZero();
    }

    @Test
    void a_flapping_link_gets_no_more_than_three_lacpdus_a_second_out() {
        Aggregator lag = LacpWire.lag(US, LacpMode.ACTIVE, LacpRate.FAST, 1);
        java.lang.foreign.MemorySegment buffer = java.lang.foreign.MemorySegment.ofArray(new byte[124]);
        long now = 0;
        int sent = 0;
        for (int flap = 0; flap < 10; flap++) { // ten flaps within 100 ms, each asking to say so at once
            lag.linkChanged(0, false, now);
            lag.linkChanged(0, true, now);
            if (lag.transmitDue(0, now)) {
                lag.writeLacpdu(0, buffer, 0, US, now);
                sent++;
            }
            now += 10_000_000L;
        }
        assertThat(sent).isEqualTo(3);
        assertThat(lag.transmitDue(0, SECOND)).as("a second after the first, the next").isTrue();
    }

    @Test
    void passive_and_passive_never_speak_nor_aggregate() {
        LacpWire w = new LacpWire(LacpWire.lag(US, LacpMode.PASSIVE, LacpRate.FAST, 2),
            LacpWire.lag(PEER, LacpMode.PASSIVE, LacpRate.FAST, 2)).up();
        w.run(60 * SECOND);
        assertThat(w.framesAtoB + w.framesBtoA).isZero();
        assertThat(w.a.distributing()).isZero();
        assertThat(w.a.status(null).members()).allSatisfy(m -> assertThat(m.receive()).isEqualTo("defaulted"));
    }

    @Test
    void a_passive_end_answers_an_active_partner_and_aggregates() {
        LacpWire w = new LacpWire(LacpWire.lag(US, LacpMode.PASSIVE, LacpRate.FAST, 2),
            LacpWire.lag(PEER, LacpMode.ACTIVE, LacpRate.FAST, 2)).up();
        w.run(5 * SECOND);
        assertThat(w.a.distributing()).isEqualTo(0b11);
        assertThat(w.b.distributing()).isEqualTo(0b11);
        assertThat(w.a.status(null).members().getFirst().actor().state() & LacpState.ACTIVITY).isZero();
    }

    @Test
    void a_member_whose_link_goes_down_leaves_at_once_and_rejoins_when_it_comes_back() {
        LacpWire w = new LacpWire(LacpWire.lag(US, LacpMode.ACTIVE, LacpRate.FAST, 2),
            LacpWire.lag(PEER, LacpMode.ACTIVE, LacpRate.FAST, 2)).up();
        w.run(5 * SECOND);
        w.a.linkChanged(0, false, w.now);
        w.b.linkChanged(0, false, w.now);
        assertThat(w.a.distributing()).as("no tick needed").isEqualTo(0b10);
        LagStatus.Member m = w.a.status(null).members().getFirst();
        assertThat(m.summary()).isEqualTo("link down detached");
        assertThat(m.linkDowns()).isEqualTo(1);
        w.run(10 * SECOND);
        assertThat(w.a.distributing()).isEqualTo(0b10);
        w.a.linkChanged(0, true, w.now);
        w.b.linkChanged(0, true, w.now);
        w.run(4 * SECOND);
        assertThat(w.a.distributing()).isEqualTo(0b11);
        assertThat(w.b.distributing()).isEqualTo(0b11);
    }

    @Test
    void a_member_cabled_to_another_system_is_not_selected() {
        Aggregator us = LacpWire.lag(US, LacpMode.ACTIVE, LacpRate.FAST, 2);
        LacpWire w = new LacpWire(us, LacpWire.lag(PEER, LacpMode.ACTIVE, LacpRate.FAST, 2)).up();
        w.carries[1][1] = false; // member 2 hears another switch instead
        Aggregator other = LacpWire.lag(0x0200_0000_00CCL, LacpMode.ACTIVE, LacpRate.FAST, 2);
        other.linkChanged(1, true, w.now);
        for (int i = 0; i < 40; i++) { // 4 s: the other switch, unanswered, still sends every second
            w.run(LacpWire.TICK);
            other.tick(w.now);
            if (other.transmitDue(1, w.now)) {
                int n = other.writeLacpdu(1, w.buffer, 0, 0x0200_0000_0C01L, w.now);
                us.receive(1, w.buffer, 14, n - 14, w.now);
            }
        }
        assertThat(us.distributing()).isEqualTo(0b01);
        LagStatus.Member m = us.status(null).members().get(1);
        assertThat(m.wrongPartner()).isTrue();
        assertThat(m.summary()).isEqualTo("current wrong partner");
    }

    @Test
    void malformed_lacpdus_and_our_own_reflected_are_counted_and_change_nothing() {
        LacpWire w = new LacpWire(LacpWire.lag(US, LacpMode.ACTIVE, LacpRate.FAST, 1),
            LacpWire.lag(PEER, LacpMode.ACTIVE, LacpRate.FAST, 1)).up();
        w.run(5 * SECOND);
        int n = w.a.writeLacpdu(0, w.buffer, 0, 0x0200_0000_0A00L, w.now);
        assertThat(w.a.receive(0, w.buffer, 14, n - 14, w.now)).isEqualTo(Aggregator.Outcome.LOOPED);
        w.buffer.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 14 + 3, (byte) 19); // actor TLV length 19
        assertThat(w.a.receive(0, w.buffer, 14, n - 14, w.now)).isEqualTo(Aggregator.Outcome.MALFORMED);
        assertThat(w.a.receive(0, w.buffer, 14, 30, w.now)).isEqualTo(Aggregator.Outcome.MALFORMED);
        w.buffer.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 14, (byte) 3); // OAM (802.3 clause 57)
        assertThat(w.a.receive(0, w.buffer, 14, n - 14, w.now)).isEqualTo(Aggregator.Outcome.OTHER_SLOW_PROTOCOL);
        LagStatus.Member m = w.a.status(null).members().getFirst();
        assertThat(m.looped()).isEqualTo(1);
        assertThat(m.malformed()).isEqualTo(2);
        assertThat(m.otherSlowProtocols()).isEqualTo(1);
        assertThat(w.a.distributing()).isEqualTo(1);
    }

    @Test
    void a_partner_that_stops_saying_it_is_in_sync_stops_the_traffic_at_once() {
        LacpWire w = new LacpWire(LacpWire.lag(US, LacpMode.ACTIVE, LacpRate.FAST, 1),
            LacpWire.lag(PEER, LacpMode.ACTIVE, LacpRate.FAST, 1)).up();
        w.run(5 * SECOND);
        int n = w.b.writeLacpdu(0, w.buffer, 0, 0x0200_0000_0B00L, w.now);
        long state = 14 + io.vxswitch.packet.Lacpdu.ACTOR_OFFSET + io.vxswitch.packet.Lacpdu.STATE;
        byte s = w.buffer.get(java.lang.foreign.ValueLayout.JAVA_BYTE, state);
        w.buffer.set(java.lang.foreign.ValueLayout.JAVA_BYTE, state, (byte) (s & ~IN_SYNC));
        w.a.receive(0, w.buffer, 14, n - 14, w.now);
        assertThat(w.a.distributing()).isZero();
        assertThat(w.a.status(null).members().getFirst().mux()).isEqualTo("attached");
    }

    @Test
    void a_new_rate_mode_or_hash_changes_in_place_and_the_aggregation_stays_up() {
        LacpWire w = new LacpWire(LacpWire.lag(US, LacpMode.ACTIVE, LacpRate.FAST, 2),
            LacpWire.lag(PEER, LacpMode.ACTIVE, LacpRate.FAST, 2)).up();
        w.run(5 * SECOND);
        long sentBefore = w.framesAtoB;
        LagOptions o = w.a.options();
        w.a.reconfigure(new LagOptions(o.name(), o.members(), LacpMode.PASSIVE, LacpRate.SLOW, LagHashPolicy.L2,
            o.systemPriority(), o.systemId(), o.key(), o.portPriority()), w.now);
        assertThat(w.a.options().hash()).isEqualTo(LagHashPolicy.L2);
        assertThat(w.a.transmitDue(0, w.now)).as("the partner is told at once").isTrue();
        for (int i = 0; i < 60; i++) {
            w.run(SECOND);
            assertThat(w.a.distributing()).as("second %d", i).isEqualTo(0b11);
            assertThat(w.b.distributing()).as("second %d", i).isEqualTo(0b11);
        }
        LagStatus.Member m = w.a.status(null).members().getFirst();
        assertThat(m.actor().stateFlags()).isEqualTo("aggregation synchronized collecting distributing");
        assertThat(w.b.status(null).members().getFirst().partner().state() & LacpState.TIMEOUT)
            .as("the partner heard: slow").isZero();
        long slowFrames = w.framesBtoA;
        w.run(60 * SECOND);
        assertThat(w.framesBtoA - slowFrames).as("the partner now sends every 30 s on each member").isBetween(3L, 5L);
        assertThat(w.framesAtoB).isGreaterThan(sentBefore);
    }

    @Test
    void a_new_key_is_a_short_renegotiation_and_the_partner_learns_it() {
        LacpWire w = new LacpWire(LacpWire.lag(US, LacpMode.ACTIVE, LacpRate.FAST, 2),
            LacpWire.lag(PEER, LacpMode.ACTIVE, LacpRate.FAST, 2)).up();
        w.run(5 * SECOND);
        LagOptions o = w.a.options();
        w.a.reconfigure(new LagOptions(o.name(), o.members(), o.mode(), o.rate(), o.hash(), o.systemPriority(),
            o.systemId(), 42, o.portPriority()), w.now);
        assertThat(w.a.distributing()).as("what the partner said of us is stale: out of sync").isZero();
        w.run(5 * SECOND);
        assertThat(w.a.distributing()).isEqualTo(0b11);
        assertThat(w.b.distributing()).isEqualTo(0b11);
        assertThat(w.b.status(null).partner().key()).isEqualTo(42);
    }

    @Test
    void other_members_cannot_be_changed_in_place() {
        Aggregator a = LacpWire.lag(US, LacpMode.ACTIVE, LacpRate.FAST, 2);
        LagOptions o = a.options();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.reconfigure(new LagOptions(o.name(),
                java.util.List.of("eth1"), o.mode(), o.rate(), o.hash(), o.systemPriority(), o.systemId(), o.key(),
                o.portPriority()), 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in place");
    }
}
