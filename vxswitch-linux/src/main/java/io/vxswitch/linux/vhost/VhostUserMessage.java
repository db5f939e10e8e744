package io.vxswitch.linux.vhost;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One vhost-user message (QEMU's docs/interop/vhost-user.rst, "Message Specification"): a 12-byte header (request,
 * flags, payload size, each u32 in the machine's byte order) and a payload whose shape the request decides, with up to
 * eight file descriptors passed alongside ({@code SCM_RIGHTS}). A flyweight over one reusable buffer: the channel reads
 * into it, the session decodes with the accessors, a reply is written back into it.
 */
public final class VhostUserMessage implements AutoCloseable {
    // Front-end requests (vhost-user.rst, "Front-end message types")
    public static final int GET_FEATURES = 1;
    public static final int SET_FEATURES = 2;
    public static final int SET_OWNER = 3;
    public static final int RESET_OWNER = 4;
    public static final int SET_MEM_TABLE = 5;
    public static final int SET_LOG_BASE = 6;
    public static final int SET_LOG_FD = 7;
    public static final int SET_VRING_NUM = 8;
    public static final int SET_VRING_ADDR = 9;
    public static final int SET_VRING_BASE = 10;
    public static final int GET_VRING_BASE = 11;
    public static final int SET_VRING_KICK = 12;
    public static final int SET_VRING_CALL = 13;
    public static final int SET_VRING_ERR = 14;
    public static final int GET_PROTOCOL_FEATURES = 15;
    public static final int SET_PROTOCOL_FEATURES = 16;
    public static final int GET_QUEUE_NUM = 17;
    public static final int SET_VRING_ENABLE = 18;
    public static final int SEND_RARP = 19;
    public static final int NET_SET_MTU = 20;

    /** Flags: the protocol version (lower two bits), the reply bit, the need_reply bit (REPLY_ACK). */
    public static final int VERSION = 0x1;
    public static final int VERSION_MASK = 0x3;
    public static final int FLAG_REPLY = 0x4;
    public static final int FLAG_NEED_REPLY = 0x8;

    public static final int HEADER_SIZE = 12;
    /**
     * The largest payload accepted: a memory table (8 + 8 regions x 32 bytes) is the largest this back-end takes;
     * a few KiB leave room for messages it reads only to refuse.
     */
    public static final int MAX_PAYLOAD = 4096;
    /** File descriptors one message may carry ({@code VHOST_MEMORY_BASELINE_NREGIONS}). */
    public static final int MAX_FDS = 8;
    /** Bit 8 of a KICK/CALL/ERR payload: no descriptor came, poll instead. */
    public static final long VRING_NOFD_MASK = 0x100;
    public static final long VRING_INDEX_MASK = 0xFF;

    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(HEADER_SIZE + MAX_PAYLOAD, 8);
    private final int[] fds = new int[MAX_FDS];
    private int fdCount;

    /** The whole buffer: header, then payload. */
    MemorySegment buffer() {
        return buffer;
    }

    public int request() {
        return buffer.get(U32, 0);
    }

    public int flags() {
        return buffer.get(U32, 4);
    }

    /** The payload size the header announces (checked against {@link #MAX_PAYLOAD} by the reader). */
    public int size() {
        return buffer.get(U32, 8);
    }

    public boolean needsReply() {
        return (flags() & FLAG_NEED_REPLY) != 0;
    }

    /** Sets the header (for a message to send, or in tests). */
    public VhostUserMessage header(int request, int flags, int size) {
        buffer.set(U32, 0, request);
        buffer.set(U32, 4, flags);
        buffer.set(U32, 8, size);
        return this;
    }

    /** The payload as one u64. */
    public long u64() {
        return buffer.get(U64, HEADER_SIZE);
    }

    public VhostUserMessage u64(long value) {
        buffer.set(U64, HEADER_SIZE, value);
        return this;
    }

    /** A vring state payload ({@code struct vhost_vring_state}: index u32, num u32). */
    public int stateIndex() {
        return buffer.get(U32, HEADER_SIZE);
    }

    public int stateNum() {
        return buffer.get(U32, HEADER_SIZE + 4);
    }

    public VhostUserMessage state(int index, int num) {
        buffer.set(U32, HEADER_SIZE, index);
        buffer.set(U32, HEADER_SIZE + 4, num);
        return this;
    }

    /** A vring address payload ({@code struct vhost_vring_addr}: index, flags, desc, used, avail, log). */
    public static final int VRING_ADDR_SIZE = 40;

    public int addrIndex() {
        return buffer.get(U32, HEADER_SIZE);
    }

    public int addrFlags() {
        return buffer.get(U32, HEADER_SIZE + 4);
    }

    public long addrDescriptors() {
        return buffer.get(U64, HEADER_SIZE + 8);
    }

    public long addrUsed() {
        return buffer.get(U64, HEADER_SIZE + 16);
    }

    public long addrAvailable() {
        return buffer.get(U64, HEADER_SIZE + 24);
    }

    public VhostUserMessage addr(int index, int flags, long desc, long used, long avail, long log) {
        buffer.set(U32, HEADER_SIZE, index);
        buffer.set(U32, HEADER_SIZE + 4, flags);
        buffer.set(U64, HEADER_SIZE + 8, desc);
        buffer.set(U64, HEADER_SIZE + 16, used);
        buffer.set(U64, HEADER_SIZE + 24, avail);
        buffer.set(U64, HEADER_SIZE + 32, log);
        return this;
    }

    /** Memory table payload: a count and padding (8 bytes), then 32 bytes per region. */
    public static final int REGION_SIZE = 32;

    public int regionCount() {
        return buffer.get(U32, HEADER_SIZE);
    }

    /** Region {@code i} of a memory table payload. */
    public GuestMemory.Region region(int i) {
        long at = HEADER_SIZE + 8 + (long) REGION_SIZE * i;
        return new GuestMemory.Region(buffer.get(U64, at), buffer.get(U64, at + 8), buffer.get(U64, at + 16),
            buffer.get(U64, at + 24));
    }

    public VhostUserMessage regions(GuestMemory.Region... regions) {
        buffer.set(U32, HEADER_SIZE, regions.length);
        buffer.set(U32, HEADER_SIZE + 4, 0);
        for (int i = 0; i < regions.length; i++) {
            long at = HEADER_SIZE + 8 + (long) REGION_SIZE * i;
            buffer.set(U64, at, regions[i].guestAddress());
            buffer.set(U64, at + 8, regions[i].size());
            buffer.set(U64, at + 16, regions[i].userAddress());
            buffer.set(U64, at + 24, regions[i].mmapOffset());
        }
        return this;
    }

    /** The descriptors that came with the message; the session takes ownership of those it keeps. */
    public int fdCount() {
        return fdCount;
    }

    public int fd(int i) {
        return fds[i];
    }

    /** Takes descriptor {@code i} out of the message: it will not be closed with the message's others. */
    public int takeFd(int i) {
        int fd = fds[i];
        fds[i] = -1;
        return fd;
    }

    /** Descriptors to send with the message (tests), or received with it (the channel). */
    public void fds(int... received) {
        if (received.length > MAX_FDS) {
            throw new IllegalArgumentException("at most " + MAX_FDS + " descriptors per message");
        }
        System.arraycopy(received, 0, fds, 0, received.length);
        fdCount = received.length;
    }

    int[] fdArray() {
        return Arrays.copyOf(fds, fdCount);
    }

    /** Forgets the descriptors without closing them (they were sent, or closed by the owner). */
    void clearFds() {
        fdCount = 0;
    }

    /** The request's name as the protocol document spells it, for log lines. */
    public static String name(int request) {
        return switch (request) {
            case GET_FEATURES -> "GET_FEATURES";
            case SET_FEATURES -> "SET_FEATURES";
            case SET_OWNER -> "SET_OWNER";
            case RESET_OWNER -> "RESET_OWNER";
            case SET_MEM_TABLE -> "SET_MEM_TABLE";
            case SET_LOG_BASE -> "SET_LOG_BASE";
            case SET_LOG_FD -> "SET_LOG_FD";
            case SET_VRING_NUM -> "SET_VRING_NUM";
            case SET_VRING_ADDR -> "SET_VRING_ADDR";
            case SET_VRING_BASE -> "SET_VRING_BASE";
            case GET_VRING_BASE -> "GET_VRING_BASE";
            case SET_VRING_KICK -> "SET_VRING_KICK";
            case SET_VRING_CALL -> "SET_VRING_CALL";
            case SET_VRING_ERR -> "SET_VRING_ERR";
            case GET_PROTOCOL_FEATURES -> "GET_PROTOCOL_FEATURES";
            case SET_PROTOCOL_FEATURES -> "SET_PROTOCOL_FEATURES";
            case GET_QUEUE_NUM -> "GET_QUEUE_NUM";
            case SET_VRING_ENABLE -> "SET_VRING_ENABLE";
            case SEND_RARP -> "SEND_RARP";
            case NET_SET_MTU -> "NET_SET_MTU";
            default -> "request " + request;
        };
    }

    @Override
    public void close() {
        arena.close();
    }
}
