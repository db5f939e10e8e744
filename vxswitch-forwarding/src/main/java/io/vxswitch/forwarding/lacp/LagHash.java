package io.vxswitch.forwarding.lacp;

import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.FrameMeta;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv6;
import io.vxswitch.packet.Wire;

import java.lang.foreign.MemorySegment;

/**
 * The flow hash a LAG picks a member by ({@link LagHashPolicy}), over a frame the switch has parsed: no allocation,
 * read in place. Every frame of a flow hashes alike, so a flow keeps to one member and is never reordered; the
 * partner may hash differently (802.1AX §6.2.4 leaves the distribution algorithm to each end).
 *
 * <p>L3+L4 uses the ports only where every packet of the flow carries them: TCP or UDP, not an IPv4 fragment (the
 * first fragment has ports, the others not: a datagram's fragments must not part ways), and for IPv6 only when
 * TCP or UDP is the first next header. Anything else falls back to the addresses, and a frame that is not IP to L2.
 */
public final class LagHash {
    private LagHash() {
    }

    public static int hash(LagHashPolicy policy, FrameMeta f) {
        return policy == LagHashPolicy.L3L4 ? l3l4(f) : l2(f);
    }

    /** Source and destination MAC and VLAN: symmetric, so both directions of a conversation hash alike. */
    public static int l2(FrameMeta f) {
        return finish((f.src() ^ f.dst()) * 0x9E37_79B9_7F4A_7C15L + f.vid());
    }

    public static int l3l4(FrameMeta f) {
        MemorySegment s = f.segment();
        long ip = f.payloadPosition();
        int available = f.payloadLength();
        if (f.etherType() == EtherType.IPV4 && available >= Ipv4.MIN_HEADER_LENGTH) {
            int protocol = Ipv4.protocol(s, ip);
            long h = ((long) Ipv4.src(s, ip) ^ ((long) Ipv4.dst(s, ip) << 32)) * 0x9E37_79B9_7F4A_7C15L + protocol;
            int header = Ipv4.headerLength(s, ip);
            if (isTcpOrUdp(protocol) && !Ipv4.isFragment(s, ip) && available >= header + 4) {
                h = h * 31 + Wire.i32(s, ip + header); // source and destination port, one 32-bit read
            }
            return finish(h);
        }
        if (f.etherType() == EtherType.IPV6 && available >= Ipv6.LENGTH) {
            int next = Wire.u8(s, ip + Ipv6.NEXT_HEADER_OFFSET);
            long h = Wire.i64(s, ip + Ipv6.SRC_OFFSET) * 31 + Wire.i64(s, ip + Ipv6.SRC_OFFSET + 8);
            h = (h * 31 + Wire.i64(s, ip + Ipv6.DST_OFFSET)) * 31 + Wire.i64(s, ip + Ipv6.DST_OFFSET + 8);
            h = h * 31 + next;
            if (isTcpOrUdp(next) && available >= Ipv6.LENGTH + 4) {
                h = h * 31 + Wire.i32(s, ip + Ipv6.LENGTH);
            }
            return finish(h);
        }
        return l2(f);
    }

    private static boolean isTcpOrUdp(int protocol) {
        return protocol == Ipv4.PROTOCOL_TCP || protocol == Ipv4.PROTOCOL_UDP;
    }

    /** MurmurHash3's 64-bit finaliser: every input bit moves every output bit, so a modulo by 2 or 3 spreads. */
    private static int finish(long h) {
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return (int) h;
    }
}
