package io.vxswitch.forwarding;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vxswitch.forwarding.flow.FlowObservation;
import io.vxswitch.forwarding.flow.FlowObserver;
import io.vxswitch.fuzz.Corpus;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.FrameBuilder;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static io.vxswitch.forwarding.SwitchFixture.VM1;
import static io.vxswitch.forwarding.SwitchFixture.VM2;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a VM puts behind an IPv4 or IPv6 EtherType, the flow observer of a sampled frame (which walks IPv6
 * extension headers) reads only the frame's bytes and writes one observation that describes no more than the frame.
 * The input's first byte picks the EtherType (even: IPv6, odd: IPv4), the rest is the frame's payload, sent from vm1 to
 * vm2. The frame is a segment of exactly its bytes, so a read past its end throws here. Must hold: a forwarded frame
 * is observed once, one the switch drops (malformed IP) not at all; the IP length is at most the payload; the frame's
 * family or none; ports only for TCP, UDP, SCTP, ICMP and ICMPv6.
 */
class FlowObservationFuzzTest {
    private static final class Shared {
        static final SwitchFixture F = SwitchFixture.vdsDefaults();
        static final FlowObserver OBSERVER = F.sw.observeFlows(1, 1 << 16)[0];
    }

    @Test
    void committed_corpus_replays_clean() {
        assertThat(Corpus.replay(getClass(), this::any_ip_payload_is_observed_within_its_bytes))
            .isGreaterThanOrEqualTo(5);
    }

    @FuzzTest
    void any_ip_payload_is_observed_within_its_bytes(byte[] input) {
        if (input.length == 0) {
            return;
        }
        SwitchFixture f = Shared.F;
        FlowObserver o = Shared.OBSERVER;
        boolean v6 = (input[0] & 1) == 0;
        int payload = input.length - 1;
        MemorySegment s = MemorySegment.ofArray(new byte[Math.max(14 + payload, 60)]); // a runt is padded, as on a wire
        FrameBuilder.ethernet(s, 0, VM2, VM1, v6 ? EtherType.IPV6 : EtherType.IPV4);
        MemorySegment.copy(MemorySegment.ofArray(input), 1, s, 14, payload);
        long before = o.observed();
        f.sw.forward(f.sw.port("vm1").id(), s, 0, (int) s.byteSize(), 1L, f.d);
        assertThat(o.observed()).isEqualTo(before + (f.d.dropped() ? 0 : 1));
        int[] seen = new int[1];
        o.drain((type, b, at, length) -> {
            seen[0]++;
            int flags = FlowObservation.flags(b, at);
            int protocol = FlowObservation.protocol(b, at);
            assertThat(FlowObservation.ipLength(b, at)).isLessThanOrEqualTo((int) s.byteSize() - 14);
            if ((flags & (FlowObservation.FLAG_IPV4 | FlowObservation.FLAG_IPV6)) == 0) {
                assertThat(FlowObservation.ipLength(b, at)).isZero();
            } else {
                assertThat(flags & (v6 ? FlowObservation.FLAG_IPV6 : FlowObservation.FLAG_IPV4)).isNotZero();
            }
            boolean ported = protocol == 6 || protocol == 17 || protocol == 132 || protocol == 1 || protocol == 58;
            if (!ported) {
                assertThat(FlowObservation.srcPort(b, at)).isZero();
                assertThat(FlowObservation.dstPort(b, at)).isZero();
            }
        });
        assertThat(seen[0]).isEqualTo(f.d.dropped() ? 0 : 1);
    }
}
