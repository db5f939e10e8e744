package io.vxswitch.forwarding;

import io.vxswitch.forwarding.counters.CounterValues;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariants that hold for any frame on any port under any of the seed's policies. */
class ForwardingPropertiesTest {

    @Provide
    Arbitrary<byte[]> frames() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(80);
        Arbitrary<byte[]> plausible = Arbitraries.of(SwitchFixture.VM1, SwitchFixture.VM2, SwitchFixture.VM3,
                SwitchFixture.NESTED, SwitchFixture.OUTSIDE, TestFrames.BROADCAST, 0x01005e000001L)
            .tuple3().flatMap(t -> Arbitraries.of(-1, 0, 119, 120, 4095).map(vid -> {
                MemorySegment s = vid < 0 ? TestFrames.untagged(t.get1(), t.get2()) : TestFrames.tagged(t.get1(), t.get2(), vid);
                return s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            }));
        return Arbitraries.oneOf(random, plausible);
    }

    @Property(tries = 400)
    void every_frame_is_forwarded_or_dropped_with_a_reason_never_back_out_its_port_and_at_most_once_per_port(
        @ForAll("frames") byte[] bytes, @ForAll int portSeed, @ForAll int policySeed) {
        SwitchFixture f = switch (Math.floorMod(policySeed, 4)) {
            case 0 -> SwitchFixture.vdsDefaults();
            case 1 -> SwitchFixture.learning();
            case 2 -> SwitchFixture.promiscuous(false);
            default -> SwitchFixture.promiscuous(true);
        };
        String[] names = {"uplink1", "uplink2", "vm1", "vm2", "nested", "vm120"};
        String in = names[Math.floorMod(portSeed, names.length)];
        ForwardingDecision d = f.send(in, MemorySegment.ofArray(bytes));
        if (d.dropped()) {
            assertThat(d.egressCount()).isZero();
            CounterValues c = f.sw.port(in).counters();
            assertThat(Arrays.stream(DropReason.values()).mapToLong(c::get).sum()).isEqualTo(1);
            return;
        }
        assertThat(d.egressCount()).isPositive();
        Set<String> seen = new HashSet<>();
        for (String out : f.egress()) {
            assertThat(out).isNotEqualTo(in);
            assertThat(seen.add(out)).as("one copy per port").isTrue();
            if (in.startsWith("uplink")) {
                assertThat(out).as("never uplink to uplink").doesNotStartWith("uplink");
            }
            assertThat(f.sw.port(out).portGroup().policy().vlan().carries(d.vlan())).isTrue();
        }
    }
}
