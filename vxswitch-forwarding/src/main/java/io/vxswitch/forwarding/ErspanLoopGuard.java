package io.vxswitch.forwarding;

import io.vxswitch.packet.Erspan;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.FrameMeta;
import io.vxswitch.packet.Wire;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Collection;

/**
 * What keeps ERSPAN from looping. A SPAN destination is a port, so a session can refuse to take it as a source; an
 * ERSPAN session's packets leave through the host's IP stack, and where the route to the collector goes through a
 * vxswitch port (a tap carrying the host's own address, say) that a session mirrors, each ERSPAN packet would come
 * back into the switch, be selected, and be sent again inside a new one, without end. So an ERSPAN session never
 * copies a frame that is an ERSPAN packet (IPv4 or IPv6, GRE with protocol type 0x88BE or 0x22EB) to one of this
 * switch's collectors; it counts it ({@code erspan_loop}) instead.
 *
 * <p>Asked only for a frame an ERSPAN session selected: a frame of a switch without ERSPAN sessions is never looked
 * at. Changed only through the switch, while no lane forwards.
 */
public final class ErspanLoopGuard {
    private int[] ipv4 = new int[0];
    /** IPv6 collectors, two longs each (high, low). */
    private long[] ipv6 = new long[0];

    /** The collectors of the switch's ERSPAN sessions now. */
    void set(Collection<InetAddress> remotes) {
        ipv4 = remotes.stream().filter(a -> a instanceof Inet4Address)
            .mapToInt(a -> ByteBuffer.wrap(a.getAddress()).getInt()).distinct().toArray();
        long[] six = remotes.stream().filter(a -> !(a instanceof Inet4Address)).distinct()
            .flatMapToLong(a -> {
                ByteBuffer b = ByteBuffer.wrap(a.getAddress());
                return java.util.stream.LongStream.of(b.getLong(), b.getLong());
            }).toArray();
        ipv6 = six;
    }

    /** True if {@code f} is an ERSPAN packet to one of this switch's collectors. */
    public boolean isOwnErspan(FrameMeta f) {
        int type = f.etherType();
        MemorySegment s = f.segment();
        long ip = f.payloadPosition();
        int length = f.payloadLength();
        if (type == EtherType.IPV4 && ipv4.length != 0 && length >= 24 && Wire.u8(s, ip + 9) == Erspan.IP_PROTOCOL_GRE) {
            int headerLength = (Wire.u8(s, ip) & 0xF) * 4;
            if (length < headerLength + 4 || !erspanProtocol(Wire.u16(s, ip + headerLength + 2))) {
                return false;
            }
            int dst = Wire.i32(s, ip + 16);
            for (int a : ipv4) {
                if (a == dst) {
                    return true;
                }
            }
        } else if (type == EtherType.IPV6 && ipv6.length != 0 && length >= 44
                && Wire.u8(s, ip + 6) == Erspan.IP_PROTOCOL_GRE && erspanProtocol(Wire.u16(s, ip + 42))) {
            long high = Wire.i64(s, ip + 24);
            long low = Wire.i64(s, ip + 32);
            for (int k = 0; k < ipv6.length; k += 2) {
                if (ipv6[k] == high && ipv6[k + 1] == low) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean erspanProtocol(int greProtocol) {
        return greProtocol == Erspan.GRE_PROTOCOL_TYPE_II || greProtocol == Erspan.GRE_PROTOCOL_TYPE_III;
    }
}
