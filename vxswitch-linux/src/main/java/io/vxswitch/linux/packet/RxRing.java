package io.vxswitch.linux.packet;

import io.vxswitch.linux.ErrorHints;
import io.vxswitch.linux.IoCounter;
import io.vxswitch.linux.IoCounters;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.ffi.Mmap;
import io.vxswitch.linux.ffi.SockaddrLl;
import io.vxswitch.linux.ffi.TpacketAuxdata;
import io.vxswitch.linux.ffi.Tpacket3;
import io.vxswitch.packet.Dot1q;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The receive side of a packet socket as a {@code TPACKET_V3} ring: blocks of memory shared with the kernel,
 * which writes frames into them and hands each block over when it is full or its retire timer fires. Reading a
 * block costs no system call and no copy; a wake-up brings up to a block of frames.
 *
 * <p>The price is latency when traffic is light: a block that is not full is handed over only when its timer
 * fires, {@link #RETIRE_MILLIS} ms after it was opened, so a lone frame waits up to that long. Busy links fill
 * blocks long before. (libpcap takes TPACKET_V2 in its immediate mode for the same reason.)
 *
 * <p>Use: {@link #nextBlock()}; then {@link #nextFrame()} until false, reading each frame at
 * {@link #frameOffset()} / {@link #frameLength()} of {@link #memory()}; then {@link #releaseBlock()}, after
 * which those frames belong to the kernel again. With the vnet header, each frame's header is just in front of it
 * ({@code frameOffset() - 10}). One thread at a time; nothing allocates.
 */
public final class RxRing implements AutoCloseable {
    /** A block holds about 20 full-size frames or 200 minimum-size ones. */
    static final int MIN_BLOCK_SIZE = 32 * 1024;
    static final int BLOCKS = 32;
    /** The shortest retire timeout the kernel takes (it counts in milliseconds; 0 means its own default, ~8 ms). */
    public static final int RETIRE_MILLIS = 1;
    /** The kernel only checks frames against this (V3 frames are variable-length); 16-aligned, above the header. */
    private static final int NOMINAL_FRAME = 2048;

    private final MemorySegment ring;
    private final long address;
    private final int blockSize;
    private final int blocks;
    private final int maxFrameLength;
    /** vnet header bytes in front of each frame (the kernel lays the ring out for them): 0 or 10. */
    private final int vnet;
    private final IoCounters counters;
    private int block;
    private long blockStart = -1;
    private int framesLeft;
    private long next;
    private long frameOffset;
    private int frameLength;

    private RxRing(long address, int blockSize, int blocks, int maxFrameLength, int vnet, IoCounters counters) {
        this.address = address;
        this.ring = MemorySegment.ofAddress(address).reinterpret((long) blockSize * blocks);
        this.blockSize = blockSize;
        this.blocks = blocks;
        this.maxFrameLength = maxFrameLength;
        this.vnet = vnet;
        this.counters = counters;
    }

    /**
     * Turns the packet socket {@code fd} (not yet bound, so no frame is queued the old way) into a ring reader for
     * frames of up to {@code maxFrameLength} bytes, each after {@code vnet} bytes of vnet header (set before).
     */
    static RxRing attach(int fd, int maxFrameLength, int vnet, String interfaceName, IoCounters counters) {
        String action = "cannot set up the receive ring of the packet socket on '" + interfaceName + "'";
        int blockSize = Math.max(MIN_BLOCK_SIZE, Integer.highestOneBit(maxFrameLength + vnet + 256) << 1);
        try (Arena setup = Arena.ofConfined()) {
            int r = Libc.setsockopt(fd, TpacketAuxdata.SOL_PACKET, Tpacket3.PACKET_VERSION,
                setup.allocateFrom(ValueLayout.JAVA_INT, Tpacket3.TPACKET_V3), 4);
            check(r, action, "setsockopt(PACKET_VERSION, TPACKET_V3)");
            MemorySegment request = setup.allocate(Tpacket3.REQUEST);
            Tpacket3.request(request, blockSize, BLOCKS, NOMINAL_FRAME, RETIRE_MILLIS);
            r = Libc.setsockopt(fd, TpacketAuxdata.SOL_PACKET, Tpacket3.PACKET_RX_RING, request,
                (int) Tpacket3.REQUEST.byteSize());
            check(r, action, "setsockopt(PACKET_RX_RING)");
        }
        long size = (long) blockSize * BLOCKS;
        long address = Mmap.mmap(size, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_SHARED | Mmap.MAP_POPULATE, fd);
        if (address < 0) {
            throw new LinuxException(action, "mmap(" + size + " bytes)", (int) -address,
                ErrorHints.generic((int) -address));
        }
        return new RxRing(address, blockSize, BLOCKS, maxFrameLength, vnet, counters);
    }

    private static void check(int result, String action, String syscall) {
        if (result < 0) {
            throw new LinuxException(action, syscall, -result, ErrorHints.generic(-result));
        }
    }

    public int blockSize() {
        return blockSize;
    }

    public int blocks() {
        return blocks;
    }

    /** The ring's memory: frames are read at offsets into it. */
    public MemorySegment memory() {
        return ring;
    }

    /** True if the kernel has handed over the next block; its frames follow with {@link #nextFrame()}. */
    public boolean nextBlock() {
        if (blockStart >= 0) {
            throw new IllegalStateException("release the current block first");
        }
        long at = (long) block * blockSize;
        if ((Tpacket3.blockStatus(ring, at) & Tpacket3.TP_STATUS_USER) == 0) {
            return false;
        }
        blockStart = at;
        framesLeft = Tpacket3.frameCount(ring, at);
        next = Tpacket3.firstFrame(ring, at);
        return true;
    }

    /**
     * Moves to the block's next frame that can be forwarded as it is, counting the others (own transmissions,
     * frames longer than the port takes, partial checksums). False when the block has no more.
     */
    public boolean nextFrame() {
        while (framesLeft > 0) {
            long header = next;
            framesLeft--;
            next = header + Tpacket3.nextOffset(ring, header);
            if (Tpacket3.packetType(ring, header) == SockaddrLl.PACKET_OUTGOING) {
                counters.increment(IoCounter.RX_OWN_TX_IGNORED);
                continue;
            }
            int length = Tpacket3.capturedLength(ring, header);
            if (length != Tpacket3.wireLength(ring, header) || length > maxFrameLength) {
                counters.increment(IoCounter.RX_OVERSIZE_DROPS);
                continue;
            }
            int mac = Tpacket3.macOffset(ring, header);
            if (mac - vnet - Dot1q.LENGTH < Tpacket3.HEADER_LENGTH) {
                // The kernel leaves 14 bytes between its headers and an Ethernet frame (and the vnet header); without
                // 4 of them a stripped tag could not be put back. Not seen on any kernel; counted, never corrupted.
                counters.increment(IoCounter.RX_ERRORS);
                continue;
            }
            long frame = header + mac;
            long at = RxFilter.admit(counters, ring, frame, length, maxFrameLength, Tpacket3.status(ring, header),
                Tpacket3.vlanTci(ring, header), Tpacket3.vlanTpid(ring, header), vnet);
            if (at != RxFilter.DROPPED) {
                frameOffset = at;
                frameLength = length + (int) (frame - at);
                return true;
            }
        }
        return false;
    }

    public long frameOffset() {
        return frameOffset;
    }

    public int frameLength() {
        return frameLength;
    }

    /** Gives the current block back to the kernel; its frames must not be read after this. */
    public void releaseBlock() {
        if (blockStart < 0) {
            return;
        }
        Tpacket3.returnBlock(ring, blockStart);
        blockStart = -1;
        framesLeft = 0;
        block = block + 1 == blocks ? 0 : block + 1;
    }

    /** Unmaps the ring, before the socket closes; nothing may read {@link #memory()} after this. */
    @Override
    public void close() {
        Mmap.munmap(address, (long) blockSize * blocks);
    }
}
