package io.vxswitch.forwarding;

import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;

import java.lang.foreign.MemorySegment;

/** Builds plain Ethernet frames for forwarding tests: addresses, an optional tag, a 46-byte payload. */
final class TestFrames {
    static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private TestFrames() {
    }

    static MemorySegment untagged(long dst, long src) {
        MemorySegment s = MemorySegment.ofArray(new byte[60]);
        Ethernet.dst(s, 0, dst);
        Ethernet.src(s, 0, src);
        Ethernet.etherType(s, 0, EtherType.IPV4);
        return s;
    }

    static MemorySegment tagged(long dst, long src, int vid) {
        MemorySegment s = MemorySegment.ofArray(new byte[64]);
        Ethernet.dst(s, 0, dst);
        Ethernet.src(s, 0, src);
        Dot1q.write(s, Ethernet.TYPE_OFFSET, EtherType.VLAN, Dot1q.tci(3, false, vid));
        s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 16, (byte) 0x08);
        return s;
    }
}
