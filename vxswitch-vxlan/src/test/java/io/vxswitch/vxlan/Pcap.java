package io.vxswitch.vxlan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny reader of classic libpcap files (not pcapng), for test data: a 24-byte global header (magic
 * 0xa1b2c3d4 in the writer's byte order, or 0xa1b23c4d for nanosecond timestamps; version 2.4; snaplen;
 * link type) and per packet a 16-byte record header (seconds, micro- or nanoseconds, captured length,
 * original length) followed by the captured bytes.
 */
final class Pcap {
    static final int LINKTYPE_ETHERNET = 1;
    private static final int MAGIC_MICROS = 0xA1B2C3D4;
    private static final int MAGIC_NANOS = 0xA1B23C4D;

    record Packet(long seconds, long fraction, int originalLength, byte[] data) {
    }

    record Capture(int linkType, int snapLength, boolean nanoseconds, List<Packet> packets) {
    }

    private Pcap() {
    }

    static Capture read(InputStream in) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
        }
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            throw new IOException(String.format("not a classic pcap file: magic %08x (pcapng starts 0a0d0d0a)", magic));
        }
        int major = b.getShort(4);
        if (major != 2) {
            throw new IOException("unsupported pcap version " + major + "." + b.getShort(6));
        }
        int snapLength = b.getInt(16);
        int linkType = b.getInt(20);
        List<Packet> packets = new ArrayList<>();
        b.position(24);
        while (b.remaining() >= 16) {
            long seconds = b.getInt() & 0xFFFF_FFFFL;
            long fraction = b.getInt() & 0xFFFF_FFFFL;
            int captured = b.getInt();
            int original = b.getInt();
            if (captured < 0 || captured > b.remaining()) {
                throw new IOException("truncated pcap record: " + captured + " bytes announced, " + b.remaining() + " left");
            }
            byte[] data = new byte[captured];
            b.get(data);
            packets.add(new Packet(seconds, fraction, original, data));
        }
        return new Capture(linkType, snapLength, magic == MAGIC_NANOS, List.copyOf(packets));
    }
}
