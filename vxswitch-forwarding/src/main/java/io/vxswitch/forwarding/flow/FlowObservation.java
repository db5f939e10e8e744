package io.vxswitch.forwarding.flow;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One forwarded frame as a forwarding lane saw it, for flow export: a fixed-size record in a lane's ring
 * ({@link FlowObserver}), read by the exporter off the forwarding path. A flyweight's layout: offsets below, static
 * accessors over an Agrona buffer, nothing allocated. Multi-byte fields are in the buffer's native order (the ring
 * never leaves the process).
 *
 * <pre>
 *  0  source MAC (long)             8  destination MAC (long)       16  time, nanoseconds (the lane's clock)
 * 24  frame length (int)           28  IP length (int, 0 if none)   32  ingress port id (int)
 * 36  egress port id, or -1 (int)  40  VLAN (short)                 42  flags (byte)   43  IP protocol (byte)
 * 44  source port (short)          46  destination port (short)     48  source IP (two longs, IPv4 in the low int of
 * 64  destination IP (two longs)                                        the second)
 * </pre>
 */
public final class FlowObservation {
    public static final int SRC_MAC_OFFSET = 0;
    public static final int DST_MAC_OFFSET = 8;
    public static final int TIME_OFFSET = 16;
    public static final int FRAME_LENGTH_OFFSET = 24;
    public static final int IP_LENGTH_OFFSET = 28;
    public static final int INGRESS_OFFSET = 32;
    public static final int EGRESS_OFFSET = 36;
    public static final int VLAN_OFFSET = 40;
    public static final int FLAGS_OFFSET = 42;
    public static final int PROTOCOL_OFFSET = 43;
    public static final int SRC_PORT_OFFSET = 44;
    public static final int DST_PORT_OFFSET = 46;
    public static final int SRC_IP_OFFSET = 48;
    public static final int DST_IP_OFFSET = 64;
    public static final int LENGTH = 80;

    /** The message type of an observation in the ring (Agrona's ring buffers need a positive one). */
    public static final int MESSAGE_TYPE = 1;

    /** The frame carries IPv4; addresses, protocol and ports are set. */
    public static final int FLAG_IPV4 = 1;
    /** The frame carries IPv6; addresses, protocol and ports are set. */
    public static final int FLAG_IPV6 = 2;
    /** The frame came from or went into a tunnel port: its VLAN has a VNI. */
    public static final int FLAG_TUNNEL = 4;

    /** The egress port of a frame sent to several ports (flooded) or none. */
    public static final int NO_SINGLE_EGRESS = -1;

    private FlowObservation() {
    }

    public static long srcMac(DirectBuffer b, int at) {
        return b.getLong(at + SRC_MAC_OFFSET);
    }

    public static long dstMac(DirectBuffer b, int at) {
        return b.getLong(at + DST_MAC_OFFSET);
    }

    public static long time(DirectBuffer b, int at) {
        return b.getLong(at + TIME_OFFSET);
    }

    public static int frameLength(DirectBuffer b, int at) {
        return b.getInt(at + FRAME_LENGTH_OFFSET);
    }

    public static int ipLength(DirectBuffer b, int at) {
        return b.getInt(at + IP_LENGTH_OFFSET);
    }

    public static int ingress(DirectBuffer b, int at) {
        return b.getInt(at + INGRESS_OFFSET);
    }

    public static int egress(DirectBuffer b, int at) {
        return b.getInt(at + EGRESS_OFFSET);
    }

    public static int vlan(DirectBuffer b, int at) {
        return b.getShort(at + VLAN_OFFSET) & 0xFFFF;
    }

    public static int flags(DirectBuffer b, int at) {
        return b.getByte(at + FLAGS_OFFSET) & 0xFF;
    }

    public static int protocol(DirectBuffer b, int at) {
        return b.getByte(at + PROTOCOL_OFFSET) & 0xFF;
    }

    public static int srcPort(DirectBuffer b, int at) {
        return b.getShort(at + SRC_PORT_OFFSET) & 0xFFFF;
    }

    public static int dstPort(DirectBuffer b, int at) {
        return b.getShort(at + DST_PORT_OFFSET) & 0xFFFF;
    }

    /** The first 8 bytes of the source address, as a big-endian long (0 for IPv4). */
    public static long srcIpHigh(DirectBuffer b, int at) {
        return b.getLong(at + SRC_IP_OFFSET);
    }

    /** The last 8 bytes of the source address; an IPv4 address is its low 32 bits. */
    public static long srcIpLow(DirectBuffer b, int at) {
        return b.getLong(at + SRC_IP_OFFSET + 8);
    }

    public static long dstIpHigh(DirectBuffer b, int at) {
        return b.getLong(at + DST_IP_OFFSET);
    }

    public static long dstIpLow(DirectBuffer b, int at) {
        return b.getLong(at + DST_IP_OFFSET + 8);
    }

    /** Writes the layer-2 part and clears the IP part (a frame without IP, or one whose IP header is cut short). */
    public static void writeL2(MutableDirectBuffer b, int at, long src, long dst, long time, int frameLength, int ingress,
                        int egress, int vlan, int flags) {
        b.putLong(at + SRC_MAC_OFFSET, src);
        b.putLong(at + DST_MAC_OFFSET, dst);
        b.putLong(at + TIME_OFFSET, time);
        b.putInt(at + FRAME_LENGTH_OFFSET, frameLength);
        b.putInt(at + IP_LENGTH_OFFSET, 0);
        b.putInt(at + INGRESS_OFFSET, ingress);
        b.putInt(at + EGRESS_OFFSET, egress);
        b.putShort(at + VLAN_OFFSET, (short) vlan);
        b.putByte(at + FLAGS_OFFSET, (byte) flags);
        b.putByte(at + PROTOCOL_OFFSET, (byte) 0);
        b.putInt(at + SRC_PORT_OFFSET, 0); // both ports
        b.putLong(at + SRC_IP_OFFSET, 0);
        b.putLong(at + SRC_IP_OFFSET + 8, 0);
        b.putLong(at + DST_IP_OFFSET, 0);
        b.putLong(at + DST_IP_OFFSET + 8, 0);
    }

    public static void writeIp(MutableDirectBuffer b, int at, int flags, int ipLength, int protocol, long srcHigh, long srcLow,
                        long dstHigh, long dstLow) {
        b.putByte(at + FLAGS_OFFSET, (byte) flags);
        b.putInt(at + IP_LENGTH_OFFSET, ipLength);
        b.putByte(at + PROTOCOL_OFFSET, (byte) protocol);
        b.putLong(at + SRC_IP_OFFSET, srcHigh);
        b.putLong(at + SRC_IP_OFFSET + 8, srcLow);
        b.putLong(at + DST_IP_OFFSET, dstHigh);
        b.putLong(at + DST_IP_OFFSET + 8, dstLow);
    }

    public static void writePorts(MutableDirectBuffer b, int at, int srcPort, int dstPort) {
        b.putShort(at + SRC_PORT_OFFSET, (short) srcPort);
        b.putShort(at + DST_PORT_OFFSET, (short) dstPort);
    }
}
