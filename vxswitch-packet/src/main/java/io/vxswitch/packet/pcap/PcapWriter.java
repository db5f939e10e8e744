package io.vxswitch.packet.pcap;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes one classic libpcap capture file (the format of {@code tcpdump -w}, read by Wireshark, tshark and
 * tcpdump): a 24-byte global header, then a 16-byte record header before each frame. Timestamps have nanosecond
 * resolution (magic {@code 0xa1b23c4d}, as {@code tcpdump --time-stamp-precision=nano} writes), since the lab's
 * clock counts nanoseconds; link type 1 (Ethernet), version 2.4, snapshot length 65535. Used by the lab (one file
 * per link) and by {@code vxswitch capture} (a running switch's port). Fields are written in
 * little-endian order; readers recognise the byte order from the magic number.
 *
 * <p>Reference: the libpcap file format (draft-ietf-opsawg-pcap §4-5, pcap-savefile(5)).
 */
public final class PcapWriter implements Closeable {
    /** Nanosecond-resolution magic number; a reader seeing 0x4d3cb2a1 knows the file was written byte-swapped. */
    public static final int MAGIC_NANOSECONDS = 0xa1b2_3c4d;
    public static final int VERSION_MAJOR = 2;
    public static final int VERSION_MINOR = 4;
    public static final int SNAPLEN = 65_535;
    /** LINKTYPE_ETHERNET: frames start with the destination MAC, no FCS. */
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int GLOBAL_HEADER_LENGTH = 24;
    public static final int RECORD_HEADER_LENGTH = 16;

    private final OutputStream out;
    private final ByteBuffer header = ByteBuffer.allocate(GLOBAL_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private long records;

    /** Writes the global header at once; {@code out} is owned by the writer from now on. */
    public PcapWriter(OutputStream out) throws IOException {
        this.out = out;
        header.putInt(MAGIC_NANOSECONDS)
            .putShort((short) VERSION_MAJOR)
            .putShort((short) VERSION_MINOR)
            .putInt(0)          // thiszone: timestamps are UTC
            .putInt(0)          // sigfigs: always 0
            .putInt(SNAPLEN)
            .putInt(LINKTYPE_ETHERNET);
        out.write(header.array(), 0, GLOBAL_HEADER_LENGTH);
    }

    /** Appends one frame seen at {@code timeNanos}, cut to the snapshot length if longer. */
    public void write(long timeNanos, byte[] frame) throws IOException {
        write(timeNanos, frame, frame.length, frame.length);
    }

    /**
     * Appends the first {@code captured} bytes of {@code buffer}: a frame of {@code originalLength} bytes seen at
     * {@code timeNanos} (since the epoch, or since the start of a virtual clock), cut by a snapshot length.
     */
    public void write(long timeNanos, byte[] buffer, int captured, int originalLength) throws IOException {
        if (timeNanos < 0) {
            throw new IllegalArgumentException("capture timestamp must not be negative, got " + timeNanos + " ns");
        }
        int cut = Math.min(Math.min(captured, SNAPLEN), originalLength);
        header.clear();
        header.putInt((int) (timeNanos / 1_000_000_000L))
            .putInt((int) (timeNanos % 1_000_000_000L))
            .putInt(cut)
            .putInt(originalLength);
        out.write(header.array(), 0, RECORD_HEADER_LENGTH);
        out.write(buffer, 0, cut);
        records++;
    }

    /** Frames written so far. */
    public long records() {
        return records;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
