package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.linux.LinkState;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.tap.TapDevice;
import io.vxswitch.linux.tap.TapOptions;
import io.vxswitch.packet.offload.Offload;
import io.vxswitch.packet.offload.VirtioNetHeader;

import java.lang.foreign.MemorySegment;
import java.util.function.IntToLongFunction;

/**
 * A switch port on a TAP device: the VM (or namespace) behind the tap is the port's vNIC.
 *
 * <p>With the vnet header ({@link TapOptions#vnetHeader}) every frame read or written carries a
 * {@link VirtioNetHeader}. With offloads on as well, the kernel hands over TCP super-frames of up to 64 KiB and
 * frames whose checksum is left to fill in, so the VM's stack does per 64 KiB what it would do per 1500 bytes; they
 * cross the switch whole, go to another such tap whole (its kernel takes them as they are), and are finished by the
 * egress device anywhere else ({@link SoftwareOffload}).
 */
public final class TapPort implements PortDevice {
    /** Frames read per turn before other ports get theirs. */
    static final int BATCH = 64;
    /** Transmit slot size with the vnet header: room for a few super-frames per slot. */
    static final int VNET_SLOT_BYTES = 4 * (VirtioNetHeader.LENGTH + VirtioNetHeader.MAX_SUPER_FRAME + 8);

    private final TapDevice tap;
    private final int switchPort;
    private final TapReads reads;
    private final LinuxException ringRefusal;
    private final FrameQueue tx;
    private final boolean vnet;
    /** Bytes a read may return for a whole frame (with its vnet header); one more is asked for, to see a cut. */
    private final int maxRead;
    private final Offload offload = new Offload();
    private final SoftwareOffload software;
    /** {@link #reserve} as the software offload calls it: made once, not per frame. */
    private final IntToLongFunction reserve = this::reserve;
    private boolean gone;
    /** Frames read this turn. */
    private int turnFrames;
    private long rxTooLong;
    private long queueFull;
    private long oversize;
    private long refused;

    /**
     * @param maxFrame the largest Ethernet frame of the port without offloads (MTU, header, two tags); with
     *                 offloads a read may be a 64 KiB super-frame
     */
    public TapPort(TapDevice tap, int switchPort, int maxFrame) {
        this(tap, switchPort, maxFrame, TapReadMode.READ);
    }

    /**
     * @param mode how frames are read: a {@code read(2)} each, or through an io_uring
     * @throws LinuxException {@code RING} where the kernel cannot
     */
    public TapPort(TapDevice tap, int switchPort, int maxFrame, TapReadMode mode) {
        this.tap = tap;
        this.switchPort = switchPort;
        this.vnet = tap.options().vnetHeader();
        boolean superFrames = tap.options().offloads() != 0;
        int frame = superFrames ? Math.max(maxFrame, VirtioNetHeader.MAX_SUPER_FRAME) : maxFrame;
        this.maxRead = frame + (vnet ? VirtioNetHeader.LENGTH : 0);
        int buffers = superFrames ? RingTapReads.BUFFERS_SUPER_FRAMES : RingTapReads.BUFFERS;
        LinuxException refused = null;
        TapReads chosen;
        switch (mode) {
            case READ -> chosen = new SyscallTapReads(tap, maxRead + 1);
            case RING -> chosen = new RingTapReads(tap, maxRead + 1, buffers);
            default -> { // AUTO
                try {
                    chosen = new RingTapReads(tap, maxRead + 1, buffers);
                } catch (LinuxException e) { // kept, for the port's line to say: one tap's refusal is not the host's
                    chosen = new SyscallTapReads(tap, maxRead + 1);
                    refused = e;
                }
            }
        }
        this.reads = chosen;
        this.ringRefusal = refused;
        this.tx = vnet ? new FrameQueue(FrameQueue.SLOTS, VNET_SLOT_BYTES, FrameQueue.FRAMES_PER_SLOT)
            : FrameQueue.forFrames(maxFrame);
        this.software = new SoftwareOffload();
    }

    @Override
    public int fd() {
        return reads.fd();
    }

    @Override
    public int switchPort() {
        return switchPort;
    }

    public TapDevice tap() {
        return tap;
    }

    /** Whether its frames come through an io_uring ({@link TapReadMode#RING}, or what {@code AUTO} came to). */
    public boolean readsThroughIoUring() {
        return reads instanceof RingTapReads;
    }

    /**
     * Why {@code AUTO} reads this tap with {@code read(2)}: the kernel's refusal of its ring (switched off on the
     * host, or this tap's alone: out of memory for its buffers), or null where it was not asked or not refused.
     */
    public LinuxException ringRefusal() {
        return ringRefusal;
    }

    /** Hands out one frame per call (in place until the next call), up to {@link #BATCH} a turn. */
    @Override
    public int receive(RxFrame frame, long now) {
        while (turnFrames < BATCH) {
            int n = reads.next();
            if (n <= 0) {
                if (n == -Errno.EBADFD) {
                    gone = true; // someone ran 'ip link del' on the tap: its descriptor is dead
                    return GONE;
                }
                break;
            }
            turnFrames++;
            MemorySegment rx = reads.buffer();
            long at = reads.offset();
            if (n > maxRead) {
                rxTooLong++; // the kernel cut it to fit: forwarding the rest would send a corrupt frame
            } else if (!vnet) {
                frame.local(rx, at, n);
                return FRAME;
            } else if (n > VirtioNetHeader.LENGTH) {
                offload.read(rx, at);
                frame.local(rx, at + VirtioNetHeader.LENGTH, n - VirtioNetHeader.LENGTH, offload);
                return FRAME;
            } else {
                rxTooLong++; // a vnet header and no frame: cannot come from a working kernel
            }
        }
        reads.endTurn(turnFrames == BATCH);
        turnFrames = 0;
        return NONE;
    }

    @Override
    public void attach(Backpressure backpressure) {
        tx.attach(backpressure, this);
    }

    @Override
    public void send(ForwardingDecision d, int i, Offload offload, long now) {
        if (vnet) {
            SoftwareOffload.queueWithHeader(d, i, offload, tx, reserve);
        } else {
            software.queue(d, i, offload, tx, reserve);
        }
    }

    /** Room for a frame of {@code length} bytes in the transmit queue, or -1 (counted) if there is none. */
    private long reserve(int length) {
        long at = tx.reserve(length);
        if (at < 0) {
            if (length > tx.maxFrame()) {
                oversize++;
            } else {
                queueFull++;
            }
        }
        return at;
    }

    @Override
    public boolean flush() {
        return tx.publish();
    }

    @Override
    public int transmit() {
        int sent = 0;
        for (int n = tx.take(); n > 0; n = tx.take()) {
            for (int k = 0; k < n; k++) {
                if (tap.write(tx.buffer(), tx.frameOffset(k), tx.frameLength(k)) <= 0) {
                    refused++; // queue full (0) or the kernel refused it (-errno, e.g. EIO while the tap is down)
                }
            }
            tx.release();
            sent += n;
        }
        return sent;
    }

    @Override
    public boolean hasPending() {
        return tx.hasPublished();
    }

    @Override
    public LinkState linkState() {
        return gone ? LinkState.GONE : LinkState.UP;
    }

    /** A tap moved to another namespace keeps working; only deleting it kills the descriptor. */
    @Override
    public String goneReason() {
        return "the tap was deleted";
    }

    @Override
    public long txQueueFull() {
        return queueFull;
    }

    @Override
    public long txRefused() {
        return oversize + refused + software.refused();
    }

    /** Frames read that were longer than the port takes (cut by the kernel), dropped. */
    @Override
    public long rxRefused() {
        return rxTooLong;
    }

    @Override
    public long superFramesCut() {
        return software.superFrames();
    }

    @Override
    public long segmentsFromCuts() {
        return software.segments();
    }

    @Override
    public String describe() {
        return "tap " + tap.name();
    }

    @Override
    public void close() {
        reads.close(); // a ring of reads holds the tap's file: it goes first
        tap.close();
        tx.close();
        software.close();
    }
}
