package io.vxswitch.vxlan;

import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv6;
import io.vxswitch.packet.Wire;
import java.lang.foreign.MemorySegment;

/**
 * A 64-bit hash of an inner frame's flow, parsed in place without allocation: Ethernet destination and
 * source; then, for IPv4 or IPv6 (behind up to two VLAN tags), the addresses and protocol; then the TCP or
 * UDP ports when the datagram is not a fragment (every fragment of a datagram must hash alike, and only
 * the first carries ports). Whatever does not fit in {@code length} is simply left out, so any bytes hash
 * without an exception. Not symmetric: the two directions of a flow may hash differently.
 */
final class InnerFlowHash {
    private static final long K = 0x9E37_79B9_7F4A_7C15L;
    private static final int TCP = 6;
    private static final int UDP = 17;

    private InnerFlowHash() {
    }

    static long hash(MemorySegment s, long frame, int length, long seed) {
        long h = mix(seed, length < Ethernet.HEADER_LENGTH ? length : 0);
        if (length < Ethernet.HEADER_LENGTH) {
            return finish(h);
        }
        h = mix(h, Ethernet.dst(s, frame));
        h = mix(h, Ethernet.src(s, frame));
        int l3 = Ethernet.HEADER_LENGTH;
        int type = Ethernet.etherType(s, frame);
        for (int tags = 0; tags < 2 && isTag(type) && l3 + Dot1q.LENGTH <= length; tags++) {
            type = Wire.u16(s, frame + l3 + 2);
            l3 += Dot1q.LENGTH;
        }
        h = mix(h, type);
        if (type == EtherType.IPV4) {
            h = ipv4(s, frame + l3, length - l3, h);
        } else if (type == EtherType.IPV6) {
            h = ipv6(s, frame + l3, length - l3, h);
        }
        return finish(h);
    }

    private static boolean isTag(int type) {
        return type == EtherType.VLAN || EtherType.isServiceTag(type);
    }

    private static long ipv4(MemorySegment s, long ip, int available, long h) {
        if (available < Ipv4.MIN_HEADER_LENGTH || Ipv4.version(s, ip) != Ipv4.VERSION) {
            return h;
        }
        int protocol = Ipv4.protocol(s, ip);
        h = mix(h, ((long) Ipv4.src(s, ip) << 32) | (Ipv4.dst(s, ip) & 0xFFFF_FFFFL));
        h = mix(h, protocol);
        int headerLength = Ipv4.headerLength(s, ip);
        if (!Ipv4.isFragment(s, ip) && headerLength >= Ipv4.MIN_HEADER_LENGTH) {
            h = ports(s, ip + headerLength, available - headerLength, protocol, h);
        }
        return h;
    }

    private static long ipv6(MemorySegment s, long ip, int available, long h) {
        if (available < Ipv6.LENGTH || Ipv6.version(s, ip) != Ipv6.VERSION) {
            return h;
        }
        h = mix(h, Ipv6.srcHigh(s, ip));
        h = mix(h, Ipv6.srcLow(s, ip));
        h = mix(h, Ipv6.dstHigh(s, ip));
        h = mix(h, Ipv6.dstLow(s, ip));
        int nextHeader = Ipv6.nextHeader(s, ip);
        h = mix(h, nextHeader);
        // Extension headers are not walked: such packets hash on addresses and next header only.
        return ports(s, ip + Ipv6.LENGTH, available - Ipv6.LENGTH, nextHeader, h);
    }

    private static long ports(MemorySegment s, long l4, int available, int protocol, long h) {
        if ((protocol == TCP || protocol == UDP) && available >= 4) {
            return mix(h, Wire.u32(s, l4)); // source and destination port, the first 4 bytes of both headers
        }
        return h;
    }

    private static long mix(long h, long value) {
        long x = (h ^ value) * K;
        return x ^ (x >>> 29);
    }

    /** murmur3's fmix64: every input bit reaches the high bits, which the port mapping uses. */
    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        return h ^ (h >>> 33);
    }
}
