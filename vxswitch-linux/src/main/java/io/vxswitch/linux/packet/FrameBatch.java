package io.vxswitch.linux.packet;

import io.vxswitch.linux.ffi.CmsgHdr;
import io.vxswitch.linux.ffi.MessageVector;
import io.vxswitch.linux.ffi.SockaddrLl;
import io.vxswitch.linux.ffi.TpacketAuxdata;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Frames for one {@link PacketSocket#receive} or {@link PacketSocket#send} call: {@code capacity} slots in one
 * native buffer, plus the kernel's per-message structures, all allocated at construction.
 *
 * <p>After a receive, frames {@code 0 .. n-1} are at {@link #frameOffset(int)} / {@link #frameLength(int)} of
 * {@link #buffer()}: dropped frames (own transmissions, oversize) are skipped, so frame {@code k} need not
 * be in slot {@code k}. Each slot starts with {@link #HEADROOM} spare bytes so a VLAN tag the kernel
 * stripped can be put back without copying the frame.
 *
 * <p>With a vnet header ({@link #prefix()} bytes, {@code PACKET_VNET_HDR}) each frame follows its
 * {@code virtio_net_hdr}: the header of frame {@code k} is at {@code frameOffset(k) - prefix()}, also after a tag was
 * put back, and a frame declared for sending starts with its header.
 *
 * <p>To send, write frames anywhere in {@link #buffer()} (normally at {@link #slotOffset(int)}) and declare
 * them with {@link #frame(int, long, int)}; a received batch can be sent on as it is.
 * Owned by one thread; {@link #close()} frees the memory.
 */
public final class FrameBatch implements AutoCloseable {
    /** Spare bytes in front of every received frame: one 802.1Q tag. */
    public static final int HEADROOM = 4;
    /** One PACKET_AUXDATA message, with room to spare. */
    static final int CONTROL_SIZE = (int) (CmsgHdr.space(TpacketAuxdata.SIZE) + CmsgHdr.SIZE);

    private final Arena arena;
    private final int maxFrameLength;
    private final int prefix;
    final MessageVector vector;
    final long[] offsets;
    final int[] lengths;

    /**
     * @param capacity       frames per call (recvmmsg/sendmmsg vector length), e.g. 32
     * @param maxFrameLength the longest frame to accept, e.g. MTU + 14 + 8; longer ones are dropped
     */
    public FrameBatch(int capacity, int maxFrameLength) {
        this(capacity, maxFrameLength, 0);
    }

    /**
     * @param prefix header bytes the socket puts in front of each frame (0, or 10 for a {@code virtio_net_hdr})
     */
    public FrameBatch(int capacity, int maxFrameLength, int prefix) {
        if (maxFrameLength < 14) {
            throw new IllegalArgumentException("max frame length " + maxFrameLength
                + " is shorter than an Ethernet header");
        }
        this.arena = Arena.ofShared();
        this.maxFrameLength = maxFrameLength;
        this.prefix = prefix;
        this.vector = new MessageVector(arena, capacity, HEADROOM + prefix + maxFrameLength, (int) SockaddrLl.SIZE,
            CONTROL_SIZE);
        this.offsets = new long[capacity];
        this.lengths = new int[capacity];
    }

    public int capacity() {
        return vector.count();
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    /** Header bytes in front of each received frame. */
    public int prefix() {
        return prefix;
    }

    /** The one buffer holding every slot. */
    public MemorySegment buffer() {
        return vector.data();
    }

    /** Where slot {@code i} starts in {@link #buffer()}; it has {@link #slotSize()} bytes. */
    public long slotOffset(int i) {
        return vector.slotOffset(Objects.checkIndex(i, capacity()));
    }

    public int slotSize() {
        return vector.slotSize();
    }

    /** Frame {@code k} of the last receive (or as declared for sending). */
    public long frameOffset(int k) {
        return offsets[k];
    }

    public int frameLength(int k) {
        return lengths[k];
    }

    /** Declares frame {@code k} for {@link PacketSocket#send}: {@code length} bytes at {@code offset} of the buffer. */
    public void frame(int k, long offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer().byteSize());
        offsets[k] = offset;
        lengths[k] = length;
    }

    /** {@code sll_pkttype} the kernel gave slot {@code i} (PACKET_HOST, _BROADCAST, ...). */
    int packetType(int slot) {
        return SockaddrLl.packetType(vector.names(), vector.nameOffset(slot));
    }

    @Override
    public void close() {
        arena.close();
    }
}
