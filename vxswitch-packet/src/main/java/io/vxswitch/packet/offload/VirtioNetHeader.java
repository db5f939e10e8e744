package io.vxswitch.packet.offload;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@code struct virtio_net_hdr} (virtio 1.x §5.1.6, {@code linux/virtio_net.h}): the 10 bytes a TAP device with
 * {@code IFF_VNET_HDR} puts before every frame, saying what the frame still needs: a checksum to fill in
 * ({@link #F_NEEDS_CSUM}, at {@code csum_start + csum_offset}, summed from {@code csum_start}), and whether it is a
 * super-frame to be cut into {@code gso_size} pieces ({@code gso_type}). Fields are in the host's byte order (a
 * tap is legacy virtio unless told otherwise with TUNSETVNETLE/BE).
 */
public final class VirtioNetHeader {
    public static final int LENGTH = 10;
    /** The longest frame a header can describe: a 64 KiB IP packet (GSO's limit), an Ethernet header, two tags. */
    public static final int MAX_SUPER_FRAME = 65_535 + 14 + 2 * 4;

    public static final int F_NEEDS_CSUM = 1;
    public static final int F_DATA_VALID = 2;

    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_UDP_L4 = 5;
    /** Or-ed into the type: the super-frame has TCP's CWR set and ECN was negotiated. */
    public static final int GSO_ECN = 0x80;

    private static final int FLAGS = 0;
    private static final int GSO_TYPE = 1;
    private static final int HDR_LEN = 2;
    private static final int GSO_SIZE = 4;
    private static final int CSUM_START = 6;
    private static final int CSUM_OFFSET = 8;
    private static final ValueLayout.OfShort U16 =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    private VirtioNetHeader() {
    }

    public static int flags(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_BYTE, at + FLAGS) & 0xFF;
    }

    public static int gsoType(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_BYTE, at + GSO_TYPE) & 0xFF;
    }

    /** Length of the headers the kernel would copy into every segment (a hint; may be 0). */
    public static int hdrLen(MemorySegment s, long at) {
        return s.get(U16, at + HDR_LEN) & 0xFFFF;
    }

    /** Payload bytes per segment (the MSS for TCP). */
    public static int gsoSize(MemorySegment s, long at) {
        return s.get(U16, at + GSO_SIZE) & 0xFFFF;
    }

    public static int csumStart(MemorySegment s, long at) {
        return s.get(U16, at + CSUM_START) & 0xFFFF;
    }

    public static int csumOffset(MemorySegment s, long at) {
        return s.get(U16, at + CSUM_OFFSET) & 0xFFFF;
    }

    /** Writes a whole header. */
    public static void write(MemorySegment s, long at, int flags, int gsoType, int hdrLen, int gsoSize,
                             int csumStart, int csumOffset) {
        s.set(ValueLayout.JAVA_BYTE, at + FLAGS, (byte) flags);
        s.set(ValueLayout.JAVA_BYTE, at + GSO_TYPE, (byte) gsoType);
        s.set(U16, at + HDR_LEN, (short) hdrLen);
        s.set(U16, at + GSO_SIZE, (short) gsoSize);
        s.set(U16, at + CSUM_START, (short) csumStart);
        s.set(U16, at + CSUM_OFFSET, (short) csumOffset);
    }

    /** A header that asks nothing: a complete frame whose checksums the receiver checks itself. */
    public static void writeNone(MemorySegment s, long at) {
        s.set(ValueLayout.JAVA_LONG_UNALIGNED, at, 0L);
        s.set(U16, at + 8, (short) 0);
    }
}
