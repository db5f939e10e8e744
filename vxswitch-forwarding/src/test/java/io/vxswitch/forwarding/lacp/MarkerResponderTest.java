package io.vxswitch.forwarding.lacp;

import io.vxswitch.packet.MarkerPdu;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import static io.vxswitch.forwarding.lacp.LacpWire.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

/** The Marker Responder of 802.1AX-2014 §6.5.4.2 in each member of an {@link Aggregator}. */
class MarkerResponderTest {
    private static final long US = 0x0200_0000_00AAL;
    private static final long PEER = 0x0200_0000_00BBL;
    /** Member 0's MAC, the source of what it sends. */
    private static final long MEMBER_MAC = 0x0200_0000_0A00L;

    /** A Marker PDU's payload (after the Ethernet header): port 2 of ae:b0:f8:18:b9:43, transaction 0x12345678. */
    private static final String MARKER = "0201" + "0110" + "0002" + "aeb0f818b943" + "12345678" + "0000" + "0000"
        + "00".repeat(90);
    /** The frame that answers it: from the member to the Slow Protocols group, TLV type 2, all else unchanged. */
    private static final String RESPONSE_FRAME = "0180c2000002" + "02000000" + "0a00" + "8809"
        + "0201" + "0210" + "0002" + "aeb0f818b943" + "12345678" + "0000" + "0000" + "00".repeat(90);

    @Test
    void a_marker_is_answered_on_its_member_with_the_requesters_port_system_and_transaction_byte_for_byte() {
        Aggregator lag = lagWithLinksUp(2);
        assertThat(lag.receive(1, payload(MARKER), 0, 110, 0)).isEqualTo(Aggregator.Outcome.MARKER);
        assertThat(lag.markerResponseDue(1)).isTrue();
        assertThat(lag.markerResponseDue(0)).as("only the member it came in on").isFalse();
        MemorySegment out = MemorySegment.ofArray(new byte[Aggregator.FRAME_LENGTH]);
        out.fill((byte) 0x5A);
        assertThat(lag.writeMarkerResponse(1, out, 0, MEMBER_MAC, 0)).isEqualTo(124);
        assertThat(hex(out)).isEqualTo(RESPONSE_FRAME);
        assertThat(lag.markerResponseDue(1)).isFalse();
        LagStatus.Member m = lag.status(null).members().get(1);
        assertThat(m.markersAnswered()).isEqualTo(1);
        assertThat(m.markersMalformed() + m.markersRateLimited() + m.otherSlowProtocols() + m.malformed()).isZero();
        long[] counters = new long[LagMemberCounter.values().length];
        lag.countersOf(1, counters);
        assertThat(counters[LagMemberCounter.MARKERS_ANSWERED.ordinal()]).isEqualTo(1);
    }

    @Test
    void a_short_marker_of_only_its_information_is_answered_in_full() {
        Aggregator lag = lagWithLinksUp(1);
        assertThat(lag.receive(0, payload(MARKER), 0, 18, 0)).isEqualTo(Aggregator.Outcome.MARKER);
        MemorySegment out = MemorySegment.ofArray(new byte[Aggregator.FRAME_LENGTH]);
        lag.writeMarkerResponse(0, out, 0, MEMBER_MAC, 0);
        assertThat(hex(out)).isEqualTo(RESPONSE_FRAME);
    }

    @Test
    void malformed_markers_are_dropped_and_counted_by_name_and_leave_lacp_alone() {
        LacpWire w = new LacpWire(LacpWire.lag(US, LacpMode.ACTIVE, LacpRate.FAST, 1),
            LacpWire.lag(PEER, LacpMode.ACTIVE, LacpRate.FAST, 1)).up();
        w.run(5 * SECOND);
        assertThat(w.a.distributing()).isEqualTo(1);
        String[] bad = {
            MARKER.substring(0, 34), // 17 bytes: no pad
            "0200" + MARKER.substring(4), // version 0
            "0201" + "0310" + MARKER.substring(8), // TLV type 3
            "0201" + "0114" + MARKER.substring(8), // TLV length 20
        };
        for (String b : bad) {
            assertThat(w.a.receive(0, payload(b), 0, b.length() / 2, w.now)).as(b)
                .isEqualTo(Aggregator.Outcome.MARKER_MALFORMED);
        }
        assertThat(w.a.markerResponseDue(0)).isFalse();
        LagStatus.Member m = w.a.status(null).members().getFirst();
        assertThat(m.markersMalformed()).isEqualTo(4);
        assertThat(m.malformed()).as("not counted as broken LACPDUs").isZero();
        assertThat(m.markersAnswered()).isZero();
        w.run(5 * SECOND);
        assertThat(w.a.distributing()).isEqualTo(1);
    }

    @Test
    void a_marker_response_was_never_asked_for_and_is_counted_with_the_other_subtypes() {
        Aggregator lag = lagWithLinksUp(1);
        String response = RESPONSE_FRAME.substring(28);
        assertThat(lag.receive(0, payload(response), 0, 110, 0)).isEqualTo(Aggregator.Outcome.OTHER_SLOW_PROTOCOL);
        assertThat(lag.markerResponseDue(0)).isFalse();
        assertThat(lag.status(null).members().getFirst().otherSlowProtocols()).isEqualTo(1);
    }

    @Test
    void a_member_whose_link_is_down_answers_nothing() {
        Aggregator lag = lagWithLinksUp(1);
        lag.linkChanged(0, false, 0);
        assertThat(lag.receive(0, payload(MARKER), 0, 110, 0)).isEqualTo(Aggregator.Outcome.PORT_DISABLED);
        assertThat(lag.markerResponseDue(0)).isFalse();
    }

    @Test
    void a_flood_of_markers_is_answered_twice_a_second_so_with_lacp_no_more_than_five_slow_frames_leave_a_member() {
        LacpWire w = new LacpWire(LacpWire.lag(US, LacpMode.ACTIVE, LacpRate.FAST, 1),
            LacpWire.lag(PEER, LacpMode.ACTIVE, LacpRate.FAST, 1)).up();
        w.run(5 * SECOND);
        MemorySegment out = MemorySegment.ofArray(new byte[Aggregator.FRAME_LENGTH]);
        long answered = 0;
        long limited = 0;
        long lacpdusBefore = w.framesAtoB;
        java.util.ArrayDeque<Long> sent = new java.util.ArrayDeque<>(); // any Slow Protocols frame a sent
        long start = w.now;
        // 1,000 Markers a second for 10 s, the wire's LACP going on meanwhile
        for (int i = 0; i < 10_000; i++) {
            long now = start + i * 1_000_000L;
            if (now >= w.now + LacpWire.TICK) {
                long before = w.framesAtoB;
                w.run(LacpWire.TICK);
                for (long k = before; k < w.framesAtoB; k++) {
                    sent.addLast(w.now);
                }
            }
            Aggregator.Outcome o = w.a.receive(0, payload(MARKER.replace("12345678", "%08x".formatted(i))), 0, 110,
                now);
            if (o == Aggregator.Outcome.MARKER) {
                int n = w.a.writeMarkerResponse(0, out, 0, MEMBER_MAC, now);
                assertThat(MarkerPdu.transactionId(out, 14)).isEqualTo(i);
                assertThat(n).isEqualTo(124);
                sent.addLast(now);
                answered++;
            } else {
                assertThat(o).isEqualTo(Aggregator.Outcome.MARKER_RATE_LIMITED);
                limited++;
            }
            while (!sent.isEmpty() && now - sent.peekFirst() >= SECOND) {
                sent.removeFirst();
            }
            assertThat(sent.size()).as("Slow Protocols frames from member 0 in the second to %d ms", i)
                .isLessThanOrEqualTo(5);
        }
        assertThat(answered).isBetween(19L, 20L);
        assertThat(limited).isEqualTo(10_000 - answered);
        LagStatus.Member m = w.a.status(null).members().getFirst();
        assertThat(m.markersAnswered()).isEqualTo(answered);
        assertThat(m.markersRateLimited()).isEqualTo(limited);
        assertThat(w.framesAtoB - lacpdusBefore).as("LACP kept its pace: a LACPDU a second").isBetween(9L, 12L);
        assertThat(w.a.distributing()).isEqualTo(1);
        assertThat(w.b.distributing()).isEqualTo(1);
        // a second later, a Marker is answered again
        assertThat(w.a.receive(0, payload(MARKER), 0, 110, w.now + 2 * SECOND)).isEqualTo(Aggregator.Outcome.MARKER);
    }

    private static Aggregator lagWithLinksUp(int members) {
        Aggregator lag = LacpWire.lag(US, LacpMode.ACTIVE, LacpRate.FAST, members);
        for (int i = 0; i < members; i++) {
            lag.linkChanged(i, true, 0);
        }
        return lag;
    }

    private static MemorySegment payload(String hex) {
        return MemorySegment.ofArray(HexFormat.of().parseHex(hex));
    }

    private static String hex(MemorySegment s) {
        return HexFormat.of().formatHex(s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }
}
