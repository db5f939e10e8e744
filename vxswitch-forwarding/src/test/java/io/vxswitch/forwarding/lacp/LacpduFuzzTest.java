package io.vxswitch.forwarding.lacp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vxswitch.fuzz.Corpus;
import io.vxswitch.packet.Lacpdu;
import io.vxswitch.packet.MarkerPdu;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a partner sends, the LACPDU parser and the state machines behind it stay sane. The input is a run of
 * records {@code [member, 100 ms steps to wait, length, payload...]}, each a Slow Protocols payload received on
 * member 0 or 1 of a two-member LAG after that wait. Nothing throws; each payload is counted once, as accepted,
 * malformed, another subtype, looped, a Marker answered, malformed or over the rate, or dropped on a disabled port; a
 * member only distributes while its link is up, its partner current and in sync; no member sends more than three
 * LACPDUs in a second, nor more than five Slow Protocols frames (LACPDUs and Marker Responses: 802.3 Annex 43B/57A);
 * and a Marker Response carries the requester's port, system and transaction id as its Marker did. Each payload
 * segment is exactly its bytes, so a read past the end fails here.
 */
class LacpduFuzzTest {
    private static final long STEP = 100_000_000L;

    @Test
    void committed_corpus_replays_clean() {
        assertThat(Corpus.replay(getClass(), this::any_lacpdus_keep_the_machines_sane)).isGreaterThanOrEqualTo(7);
    }

    @FuzzTest
    void any_lacpdus_keep_the_machines_sane(byte[] input) {
        Aggregator lag = new Aggregator(new LagOptions("lag0", List.of("eth1", "eth2"), LacpMode.ACTIVE, LacpRate.FAST,
            LagHashPolicy.L3L4, 32768, 0x6e0e_4248_fb13L, 2, 32768));
        long now = 0;
        lag.linkChanged(0, true, now);
        lag.linkChanged(1, true, now);
        long[] fed = new long[2];
        List<ArrayDeque<Long>> sent = List.of(new ArrayDeque<>(), new ArrayDeque<>());
        List<ArrayDeque<Long>> slow = List.of(new ArrayDeque<>(), new ArrayDeque<>()); // LACPDUs and Marker Responses
        MemorySegment tx = MemorySegment.ofArray(new byte[Aggregator.FRAME_LENGTH]);
        int at = 0;
        while (at + 3 <= input.length) {
            int member = input[at] & 1;
            boolean linkFlap = (input[at] & 0x80) != 0;
            now += (input[at + 1] & 0xFF) * STEP;
            int length = Math.min(input[at + 2] & 0xFF, input.length - at - 3);
            byte[] payload = Arrays.copyOfRange(input, at + 3, at + 3 + length);
            at += 3 + length;
            if (linkFlap) {
                lag.linkChanged(member, !lag.status(null).members().get(member).linkUp(), now);
            }
            lag.tick(now);
            MemorySegment in = MemorySegment.ofArray(payload);
            boolean marker = MarkerPdu.isMarker(in, 0, length);
            Lacpdu.Fault fault = Lacpdu.check(in, 0, length);
            MarkerPdu.Fault markerFault = MarkerPdu.check(in, 0, length);
            Aggregator.Outcome outcome = lag.receive(member, in, 0, length, now);
            assertThat(outcome == Aggregator.Outcome.MALFORMED)
                .isEqualTo(!marker && fault != Lacpdu.Fault.NONE && fault != Lacpdu.Fault.NOT_LACP);
            assertThat(outcome == Aggregator.Outcome.MARKER_MALFORMED)
                .isEqualTo(marker && markerFault != MarkerPdu.Fault.NONE);
            if (outcome == Aggregator.Outcome.MARKER || outcome == Aggregator.Outcome.MARKER_RATE_LIMITED) {
                assertThat(markerFault).isEqualTo(MarkerPdu.Fault.NONE);
                assertThat(MarkerPdu.tlvType(in, 0)).isEqualTo(MarkerPdu.TLV_MARKER_INFORMATION);
            }
            assertThat(lag.markerResponseDue(member)).isEqualTo(outcome == Aggregator.Outcome.MARKER);
            if (outcome == Aggregator.Outcome.MARKER) {
                assertThat(lag.writeMarkerResponse(member, tx, 0, 0x0200_0000_0001L, now))
                    .isEqualTo(Aggregator.FRAME_LENGTH);
                assertThat(MarkerPdu.check(tx, 14, MarkerPdu.LENGTH)).isEqualTo(MarkerPdu.Fault.NONE);
                assertThat(MarkerPdu.tlvType(tx, 14)).isEqualTo(MarkerPdu.TLV_MARKER_RESPONSE);
                assertThat(MarkerPdu.requesterPort(tx, 14)).isEqualTo(MarkerPdu.requesterPort(in, 0));
                assertThat(MarkerPdu.requesterSystem(tx, 14)).isEqualTo(MarkerPdu.requesterSystem(in, 0));
                assertThat(MarkerPdu.transactionId(tx, 14)).isEqualTo(MarkerPdu.transactionId(in, 0));
                sentSlow(slow.get(member), now, member);
            }
            fed[member]++;
            for (int m = 0; m < 2; m++) {
                if (lag.transmitDue(m, now)) {
                    lag.writeLacpdu(m, tx, 0, 0x0200_0000_0001L, now);
                    assertThat(Lacpdu.check(tx, 14, Lacpdu.LENGTH)).isEqualTo(Lacpdu.Fault.NONE);
                    ArrayDeque<Long> last = sent.get(m);
                    last.addLast(now);
                    while (now - last.peekFirst() >= LacpRate.FAST_PERIOD_NANOS) {
                        last.removeFirst();
                    }
                    assertThat(last.size()).as("LACPDUs on member %d within a second", m).isLessThanOrEqualTo(3);
                    sentSlow(slow.get(m), now, m);
                }
            }
            LagStatus s = lag.status(null);
            for (int m = 0; m < 2; m++) {
                LagStatus.Member x = s.members().get(m);
                long counted = x.lacpdusRx() + x.malformed() + x.otherSlowProtocols() + x.looped()
                    + x.markersAnswered() + x.markersMalformed() + x.markersRateLimited();
                assertThat(counted).isLessThanOrEqualTo(fed[m]); // the rest: on a disabled port
                if (x.distributing()) {
                    assertThat(x.linkUp()).isTrue();
                    assertThat(x.receive()).isEqualTo("current");
                    assertThat(x.partner().state() & LacpState.SYNCHRONIZATION).isNotZero();
                    assertThat(x.actor().state() & 0x38).isEqualTo(0x38);
                }
                assertThat((lag.distributing() >>> m & 1) == 1).isEqualTo(x.distributing());
            }
        }
    }

    /** One more Slow Protocols frame sent on member {@code m} at {@code now}: at most five in any second. */
    private static void sentSlow(ArrayDeque<Long> last, long now, int m) {
        last.addLast(now);
        while (now - last.peekFirst() >= LacpRate.FAST_PERIOD_NANOS) {
            last.removeFirst();
        }
        assertThat(last.size()).as("Slow Protocols frames on member %d within a second", m).isLessThanOrEqualTo(5);
    }
}
