package io.vxswitch.vxlan;

import io.vxswitch.packet.Vxlan;
import java.lang.foreign.MemorySegment;

/**
 * Whole underlay frames for tests of decapsulation and of the outer headers, built without a switch: the VXLAN header
 * as {@link TunnelEgress} writes it, the source port from {@link SourcePortHash}, then the outer headers from
 * {@link OuterHeaderWriter}. The inner frame is at {@code inner}, with {@link VxlanOverhead#headroom} bytes free before
 * it; each method returns the outer frame's length, and the frame starts at {@code inner - VxlanOverhead.headroom}.
 */
final class UnderlayFrames {
    private static final SourcePortHash PORTS = SourcePortHash.rfc7348();

    private UnderlayFrames() {
    }

    static int ipv4(OuterHeaderWriter w, MemorySegment s, long inner, int innerLength, int vni, int remote,
                    long nextHopMac) {
        Vxlan.write(s, inner - Vxlan.LENGTH, vni);
        return w.writeIpv4(s, inner - Vxlan.LENGTH, Vxlan.LENGTH + innerLength, PORTS.port(s, inner, innerLength),
            remote, nextHopMac);
    }

    static int ipv6(OuterHeaderWriter w, MemorySegment s, long inner, int innerLength, int vni, VtepAddress remote,
                    long nextHopMac) {
        Vxlan.write(s, inner - Vxlan.LENGTH, vni);
        return w.writeIpv6(s, inner - Vxlan.LENGTH, Vxlan.LENGTH + innerLength, PORTS.port(s, inner, innerLength),
            remote.high(), remote.low(), nextHopMac);
    }
}
