package io.vxswitch.linux.udp;

import io.vxswitch.linux.ffi.CmsgHdr;
import io.vxswitch.linux.ffi.MessageVector;
import io.vxswitch.linux.ffi.Sockets;
import io.vxswitch.linux.ffi.SockaddrIn;
import io.vxswitch.linux.ffi.SockaddrIn6;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Datagrams for one {@link UdpSocket#receive} or {@code send} call: {@code capacity} fixed-size slots in one
 * native buffer with an address per slot, allocated at construction.
 *
 * <p>Addresses are 128 bits as two longs, {@code (high, low)}, like {@link IpAddress}: an IPv4 address is
 * IPv4-mapped ({@code ::ffff:a.b.c.d}) and {@link #sourceIpv4(int)} gives it as an int.
 *
 * <p><b>Receive:</b> datagram {@code i} is in slot {@code i}: {@link #length(int)} bytes at
 * {@link #slotOffset(int)} of {@link #buffer()}, from {@link #sourceHigh(int)}/{@link #sourceLow(int)}:
 * {@link #sourcePort(int)}. <b>Send:</b> write datagram {@code i} at {@link #slotOffset(int)} and declare it
 * with {@link #datagram(int, int, long, long, int)}; after the send, {@link #sendResult(int)} tells what
 * happened to it. Owned by one thread.
 */
public final class UdpBatch implements AutoCloseable {
    /** {@code sizeof(struct sockaddr_in6)}: room for either family. */
    static final int NAME_SIZE = SockaddrIn6.SIZE;
    /** {@link #sendResult(int)} of a datagram that was not sent because the socket's queue was full. */
    public static final int NOT_SENT = 0;
    /** {@code CMSG_SPACE(sizeof(uint16_t))}: one UDP_SEGMENT control message. */
    private static final int SEGMENT_CONTROL = (int) CmsgHdr.space(2);
    /** Room for the one control message a receive can bring: UDP_GRO's int. */
    private static final int CONTROL = (int) Math.max(SEGMENT_CONTROL, CmsgHdr.space(4));

    private final Arena arena;
    final MessageVector vector;
    final int[] lengths;
    final long[] dataOffsets;
    final int[] segmentSizes;
    final int[] nameLengths;
    final int[] sourcePorts;
    final int[] results;
    final boolean[] truncated;

    /**
     * @param capacity datagrams per call, e.g. 32
     * @param slotSize bytes per datagram: VXLAN header + the largest inner frame, e.g. 8 + 1518
     */
    public UdpBatch(int capacity, int slotSize) {
        this.arena = Arena.ofShared();
        this.vector = new MessageVector(arena, capacity, slotSize, NAME_SIZE, CONTROL);
        this.lengths = new int[capacity];
        this.dataOffsets = new long[capacity];
        this.segmentSizes = new int[capacity];
        this.nameLengths = new int[capacity];
        this.sourcePorts = new int[capacity];
        this.results = new int[capacity];
        this.truncated = new boolean[capacity];
    }

    public int capacity() {
        return vector.count();
    }

    /** Bytes per slot (the size asked for, rounded up to 64). */
    public int slotSize() {
        return vector.slotSize();
    }

    public MemorySegment buffer() {
        return vector.data();
    }

    public long slotOffset(int i) {
        return vector.slotOffset(Objects.checkIndex(i, capacity()));
    }

    /** Bytes of datagram {@code i} (received, or declared for sending). */
    public int length(int i) {
        return lengths[i];
    }

    /** True if received datagram {@code i} was longer than a slot and was cut. */
    public boolean truncated(int i) {
        return truncated[i];
    }

    public long sourceHigh(int i) {
        long at = vector.nameOffset(i);
        return isIpv4Name(at) ? 0 : SockaddrIn6.addressHigh(vector.names(), at);
    }

    public long sourceLow(int i) {
        long at = vector.nameOffset(i);
        MemorySegment names = vector.names();
        return isIpv4Name(at) ? 0x0000_FFFF_0000_0000L | (SockaddrIn.address(names, at) & 0xFFFF_FFFFL)
            : SockaddrIn6.addressLow(names, at);
    }

    /** The IPv4 source of datagram {@code i} ({@code 10.0.0.1} = {@code 0x0A000001}); only for IPv4 sockets. */
    public int sourceIpv4(int i) {
        return SockaddrIn.address(vector.names(), vector.nameOffset(i));
    }

    public int sourcePort(int i) {
        long at = vector.nameOffset(i);
        return isIpv4Name(at) ? SockaddrIn.port(vector.names(), at) : SockaddrIn6.port(vector.names(), at);
    }

    private boolean isIpv4Name(long at) {
        return SockaddrIn.family(vector.names(), at) == SockaddrIn.AF_INET;
    }

    /**
     * Declares datagram {@code i} for sending: {@code length} bytes at {@link #slotOffset(int)} to
     * {@code (dstHigh, dstLow)}:{@code dstPort}. An IPv4-mapped destination is sent as IPv4.
     */
    public void datagram(int i, int length, long dstHigh, long dstLow, int dstPort) {
        if (length < 0 || length > slotSize()) {
            throw new IllegalArgumentException("datagram of " + length + " bytes does not fit a "
                + slotSize() + "-byte slot");
        }
        message(i, slotOffset(i), length, 0, dstHigh, dstLow, dstPort);
    }

    /**
     * Declares message {@code i} for sending: {@code length} bytes at {@code offset} of {@link #buffer()} (anywhere,
     * not only in slot {@code i}), to {@code (dstHigh, dstLow)}:{@code dstPort}. With {@code segmentSize > 0} the
     * bytes go out as datagrams of {@code segmentSize} bytes each, the last one shorter or equal (UDP GSO,
     * {@code UDP_SEGMENT}): one message through the stack for all of them; the kernel allows up to 64 segments (128
     * since Linux 6.8) and 64 KiB in all, and refuses with EIO where the route's device cannot checksum them.
     */
    public void message(int i, long offset, int length, int segmentSize, long dstHigh, long dstLow, int dstPort) {
        if (offset < 0 || length < 0 || offset + length > dataSize()) {
            throw new IllegalArgumentException(length + " bytes at " + offset + " are outside the batch's "
                + dataSize() + " bytes");
        }
        if (segmentSize < 0 || segmentSize > 0xFFFF) {
            throw new IllegalArgumentException("UDP segment size " + segmentSize + " is out of range 0-65535");
        }
        dataOffsets[i] = offset;
        segmentSizes[i] = segmentSize;
        if (segmentSize > 0) {
            long control = vector.controlOffset(i);
            CmsgHdr.write(vector.controls(), control, Sockets.SOL_UDP, Sockets.UDP_SEGMENT, 2);
            vector.controls().set(ValueLayout.JAVA_SHORT_UNALIGNED, control + CmsgHdr.dataOffset(),
                (short) segmentSize);
        }
        long at = vector.nameOffset(i);
        if (IpAddress.isIpv4(dstHigh, dstLow)) {
            SockaddrIn.write(vector.names(), at, (int) dstLow, dstPort);
            nameLengths[i] = SockaddrIn.SIZE;
        } else {
            SockaddrIn6.write(vector.names(), at, dstHigh, dstLow, dstPort);
            nameLengths[i] = SockaddrIn6.SIZE;
        }
        lengths[i] = length;
        sourcePorts[i] = 0;
    }

    /** Bytes of {@link #buffer()}: every slot, end to end. */
    public long dataSize() {
        return (long) slotSize() * capacity();
    }

    /**
     * The UDP segment size of message {@code i}: sending, as declared ({@link #message}); received on a socket with
     * {@link UdpSocket#receiveCoalesced}, the size of each datagram the kernel joined into it. 0: one datagram.
     */
    public int segmentSize(int i) {
        return segmentSizes[i];
    }

    /** The same to an IPv4 destination ({@code 10.0.0.1} = {@code 0x0A000001}). */
    public void datagramIpv4(int i, int length, int dstAddress, int dstPort) {
        datagram(i, length, 0, 0x0000_FFFF_0000_0000L | (dstAddress & 0xFFFF_FFFFL), dstPort);
    }

    /**
     * The outer UDP source port the VTEP chose for datagram {@code i}, a hash of its inner flow (RFC 7348 §5; set it
     * after {@link #datagram}): {@link UdpSocketPool#send} sends it from the sender that stands in for that port, so
     * datagrams of one flow keep their order.
     */
    public void sourcePort(int i, int port) {
        sourcePorts[i] = port;
    }

    /** After a send: bytes sent, {@link #NOT_SENT} if the queue was full, or {@code -errno} if refused. */
    public int sendResult(int i) {
        return results[i];
    }

    void prepareSend(int i) {
        vector.prepareSend(i, dataOffsets[i], lengths[i], nameLengths[i], segmentSizes[i] > 0 ? SEGMENT_CONTROL : 0);
    }

    @Override
    public void close() {
        arena.close();
    }
}
