package io.vxswitch.linux.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The native memory behind one {@code recvmmsg}/{@code sendmmsg} call, allocated once: {@code n} mmsghdrs,
 * one iovec each, an address ({@code msg_name}) area and an ancillary-data ({@code msg_control}) area per
 * message, and {@code n} data slots in one buffer. The pointers between them are written at construction;
 * a call only rewrites the lengths (the kernel updates {@code msg_namelen}, {@code msg_controllen} and
 * {@code msg_flags} on receive). Used by the batch classes; not thread-safe.
 */
public final class MessageVector {
    /** Data slots start on cache-line boundaries. */
    private static final int SLOT_ALIGNMENT = 64;

    private final int count;
    private final int slotSize;
    private final int nameSize;
    private final int controlSize;
    private final MemorySegment messages;
    private final MemorySegment iovecs;
    private final MemorySegment names;
    private final MemorySegment controls;
    private final MemorySegment data;
    private final long dataAddress;

    /**
     * @param slotSize    bytes per data slot (rounded up to 64)
     * @param nameSize    bytes of {@code msg_name} per message, 0 for none (bound packet sockets)
     * @param controlSize bytes of {@code msg_control} per message, 0 for none
     */
    public MessageVector(Arena arena, int count, int slotSize, int nameSize, int controlSize) {
        if (count < 1 || slotSize < 1 || nameSize < 0 || controlSize < 0) {
            throw new IllegalArgumentException("message vector of " + count + " slots of " + slotSize
                + " bytes is invalid: need at least one slot of at least one byte");
        }
        this.count = count;
        this.slotSize = (int) align(slotSize, SLOT_ALIGNMENT);
        this.nameSize = (int) align(nameSize, 8);
        this.controlSize = (int) align(controlSize, 8);
        this.messages = arena.allocate(MmsgHdr.SIZE * count, 8);
        this.iovecs = arena.allocate(Iovec.SIZE * count, 8);
        this.names = this.nameSize == 0 ? MemorySegment.NULL : arena.allocate((long) this.nameSize * count, 8);
        this.controls = this.controlSize == 0 ? MemorySegment.NULL
            : arena.allocate((long) this.controlSize * count, 8);
        this.data = arena.allocate((long) this.slotSize * count, SLOT_ALIGNMENT);
        this.dataAddress = data.address();
        for (int i = 0; i < count; i++) {
            long m = messageOffset(i);
            MsgHdr.name(messages, m, this.nameSize == 0 ? MemorySegment.NULL
                : names.asSlice(nameOffset(i), this.nameSize));
            MsgHdr.iov(messages, m, iovecs.asSlice(Iovec.SIZE * i, Iovec.SIZE), 1);
            MsgHdr.control(messages, m, this.controlSize == 0 ? MemorySegment.NULL
                : controls.asSlice(controlOffset(i), this.controlSize));
            Iovec.baseAddress(iovecs, Iovec.SIZE * i, dataAddress + slotOffset(i));
        }
    }

    private static long align(long value, int to) {
        return (value + to - 1) / to * to;
    }

    public int count() {
        return count;
    }

    public int slotSize() {
        return slotSize;
    }

    /** The mmsghdr array, to pass to recvmmsg/sendmmsg. */
    public MemorySegment messages() {
        return messages;
    }

    public MemorySegment data() {
        return data;
    }

    public MemorySegment names() {
        return names;
    }

    public MemorySegment controls() {
        return controls;
    }

    public long messageOffset(int i) {
        return MmsgHdr.SIZE * i;
    }

    public long slotOffset(int i) {
        return (long) slotSize * i;
    }

    public long nameOffset(int i) {
        return (long) nameSize * i;
    }

    public long controlOffset(int i) {
        return (long) controlSize * i;
    }

    /** Readies messages {@code [0, n)} to receive into their slots at {@code skip} bytes in. */
    public void prepareReceive(int n, int skip) {
        for (int i = 0; i < n; i++) {
            long m = messageOffset(i);
            MsgHdr.nameLength(messages, m, nameSize);
            MsgHdr.controlLength(messages, m, controlSize);
            MsgHdr.flags(messages, m, 0);
            MmsgHdr.length(messages, m, 0);
            long iov = Iovec.SIZE * i;
            Iovec.baseAddress(iovecs, iov, dataAddress + slotOffset(i) + skip);
            Iovec.length(iovecs, iov, slotSize - skip);
        }
    }

    /**
     * Readies message {@code i} to send {@code length} bytes at {@code offset} of {@link #data()} (any slot),
     * to the address already written in its name area ({@code nameLength} 0 for none).
     */
    public void prepareSend(int i, long offset, int length, int nameLength) {
        prepareSend(i, offset, length, nameLength, 0);
    }

    /** The same with the first {@code controlLength} bytes of its control area as ancillary data. */
    public void prepareSend(int i, long offset, int length, int nameLength, int controlLength) {
        Objects.checkFromIndexSize(offset, length, data.byteSize());
        Objects.checkFromIndexSize(0, controlLength, controlSize);
        long m = messageOffset(i);
        MsgHdr.nameLength(messages, m, nameLength);
        MsgHdr.controlLength(messages, m, controlLength);
        MsgHdr.flags(messages, m, 0);
        MmsgHdr.length(messages, m, 0);
        long iov = Iovec.SIZE * i;
        Iovec.baseAddress(iovecs, iov, dataAddress + offset);
        Iovec.length(iovecs, iov, length);
    }

    /** {@code msg_len}: bytes received or sent by message {@code i}. */
    public int length(int i) {
        return MmsgHdr.length(messages, messageOffset(i));
    }

    public int flags(int i) {
        return MsgHdr.flags(messages, messageOffset(i));
    }

    public long controlLength(int i) {
        return MsgHdr.controlLength(messages, messageOffset(i));
    }
}
