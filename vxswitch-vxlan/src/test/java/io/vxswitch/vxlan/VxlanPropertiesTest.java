package io.vxswitch.vxlan;

import static io.vxswitch.vxlan.LabAddresses.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.vxswitch.packet.Vxlan;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Whatever arrives from the underlay, decapsulation answers without throwing; and it undoes encapsulation. */
class VxlanPropertiesTest {
    final VxlanCounters counters = new VxlanCounters();
    final DecapResult result = new DecapResult();
    final VniMap vnis = VniMap.of(VNI, VLAN, 1, 1, Vxlan.MAX_VNI, 4094);

    @Property(tries = 3000)
    void decapsulating_arbitrary_bytes_never_throws(@ForAll @Size(max = 300) byte[] bytes,
                                                     @ForAll boolean strict) {
        MemorySegment s = MemorySegment.ofArray(bytes);
        VxlanDecapsulator d = new VxlanDecapsulator(vnis, DecapOptions.defaults().withStrictReservedBits(strict),
            counters);

        VxlanDrop asPayload = d.decapsulatePayload(s, 0, bytes.length, result);
        checkResult(asPayload, bytes.length);
        VxlanDrop asFrame = d.decapsulateFrame(s, 0, bytes.length, result);
        checkResult(asFrame, bytes.length);
    }

    @Property(tries = 2000)
    void decapsulating_mutated_vxlan_frames_never_throws(@ForAll("mutatedFrames") byte[] bytes) {
        MemorySegment s = MemorySegment.ofArray(bytes);
        VxlanDecapsulator d = new VxlanDecapsulator(vnis, DecapOptions.defaults(), counters);

        checkResult(d.decapsulateFrame(s, 0, bytes.length, result), bytes.length);
    }

    private void checkResult(VxlanDrop drop, int length) {
        if (drop == VxlanDrop.NONE) {
            assertThat(result.innerLength()).isGreaterThanOrEqualTo(14);
            assertThat(result.innerOffset() + result.innerLength()).isLessThanOrEqualTo(length);
            assertThat(vnis.vlanOf(result.vni())).isEqualTo(result.vlan());
        }
    }

    @Property(tries = 1000)
    void decapsulation_undoes_encapsulation_over_ipv4(@ForAll @Size(min = 14, max = 1400) byte[] inner,
                                                      @ForAll @IntRange(min = 1, max = Vxlan.MAX_VNI) int vni,
                                                      @ForAll boolean udpChecksum) {
        roundTrip(inner, vni, HOST_A, EncapOptions.defaults().withIpv4UdpChecksum(udpChecksum));
    }

    @Property(tries = 1000)
    void decapsulation_undoes_encapsulation_over_ipv6(@ForAll @Size(min = 14, max = 1400) byte[] inner,
                                                      @ForAll @IntRange(min = 1, max = Vxlan.MAX_VNI) int vni) {
        roundTrip(inner, vni, HOST_A6, EncapOptions.defaults());
    }

    private void roundTrip(byte[] inner, int vni, VtepAddress local, EncapOptions options) {
        VniMap map = VniMap.of(vni, 7);
        OuterHeaderWriter w = new OuterHeaderWriter(HOST_A_MAC, local, options);
        VxlanDecapsulator dec = new VxlanDecapsulator(map, DecapOptions.linuxStrict(), counters);
        MemorySegment s = MemorySegment.ofArray(new byte[HEADROOM + inner.length]);
        MemorySegment.copy(MemorySegment.ofArray(inner), 0, s, HEADROOM, inner.length);
        int length = local.isIpv4()
            ? UnderlayFrames.ipv4(w, s, HEADROOM, inner.length, vni, HOST_B.ipv4(), HOST_B_MAC)
            : UnderlayFrames.ipv6(w, s, HEADROOM, inner.length, vni, HOST_B6, HOST_B_MAC);
        long outer = HEADROOM - VxlanOverhead.headroom(!local.isIpv4());

        assertThat(dec.decapsulateFrame(s, outer, length, result)).isEqualTo(VxlanDrop.NONE);
        assertDecapsulated(s, inner, vni);
        // The same datagram as a socket would deliver it: the UDP payload, after outer Ethernet/IP/UDP.
        long udpPayload = outer + w.headroom();
        assertThat(dec.decapsulatePayload(s, udpPayload, Vxlan.LENGTH + inner.length, result))
            .isEqualTo(VxlanDrop.NONE);
        assertDecapsulated(s, inner, vni);
    }

    private void assertDecapsulated(MemorySegment s, byte[] inner, int vni) {
        assertThat(result.vni()).isEqualTo(vni);
        assertThat(result.vlan()).isEqualTo(7);
        assertThat(result.innerOffset()).isEqualTo(HEADROOM);
        assertThat(result.innerLength()).isEqualTo(inner.length);
        assertThat(s.asSlice(result.innerOffset(), result.innerLength()).toArray(ValueLayout.JAVA_BYTE))
            .isEqualTo(inner);
    }

    @Provide
    Arbitrary<byte[]> mutatedFrames() {
        Arbitrary<byte[]> inner = Arbitraries.bytes().array(byte[].class).ofMinSize(14).ofMaxSize(80);
        Arbitrary<Integer> family = Arbitraries.of(4, 6);
        Arbitrary<int[]> edit = Arbitraries.integers().between(0, 255).array(int[].class).ofSize(2);
        return Combinators.combine(inner, family, edit.list().ofMaxSize(4),
            Arbitraries.doubles().between(0, 1)).as((bytes, f, edits, keep) -> {
                VtepAddress local = f == 4 ? HOST_A : HOST_A6;
                OuterHeaderWriter w = new OuterHeaderWriter(HOST_A_MAC, local, EncapOptions.defaults());
                MemorySegment s = MemorySegment.ofArray(new byte[HEADROOM + bytes.length]);
                MemorySegment.copy(MemorySegment.ofArray(bytes), 0, s, HEADROOM, bytes.length);
                int length = f == 4
                    ? UnderlayFrames.ipv4(w, s, HEADROOM, bytes.length, VNI, HOST_B.ipv4(), HOST_B_MAC)
                    : UnderlayFrames.ipv6(w, s, HEADROOM, bytes.length, VNI, HOST_B6, HOST_B_MAC);
                byte[] frame = s.asSlice(HEADROOM - VxlanOverhead.headroom(f == 6), length)
                    .toArray(ValueLayout.JAVA_BYTE);
                for (int[] e : edits) {
                    frame[e[0] % Math.min(frame.length, 80)] = (byte) e[1]; // edits land in the outer headers
                }
                return Arrays.copyOf(frame, keep > 0.5 ? frame.length : (int) (frame.length * keep * 2));
            });
    }
}
