package io.vxswitch.linux.dataplane;

import io.vxswitch.linux.IoCounter;
import io.vxswitch.linux.IoCounters;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.tap.TapDevice;
import io.vxswitch.linux.uring.IoUring;
import io.vxswitch.linux.uring.ProvidedBuffers;

import java.lang.foreign.MemorySegment;

/**
 * A tap's frames through an io_uring: one multishot read stays armed on the tap and copies each frame the VM sends
 * into the next free buffer of a ring of them, where {@code read(2)} costs a system call per frame (a 60-byte
 * frame's read is mostly the call's entry and exit). The copies run in the agent's thread as it passes through the
 * kernel anyway ({@link IoUring}), one completion per frame, in the tap's queue order; the agent waits on the ring's
 * descriptor, readable while completions wait, and a turn takes what is there without a system call of its own.
 * One read, not one per buffer: each armed read would be woken by every frame.
 *
 * <p>When every buffer holds a frame not yet forwarded the read ends ({@code ENOBUFS}); the frames wait in the tap's
 * queue, as they do for {@code read(2)}, and the read is armed again at the end of the turn, its buffers back.
 */
final class RingTapReads implements TapReads {
    /** Buffers of a tap of plain frames: two turns' batches. */
    static final int BUFFERS = 2 * TapPort.BATCH;
    /** For a tap with offloads, whose reads are 64 KiB super-frames: 1 MiB of buffers. */
    static final int BUFFERS_SUPER_FRAMES = 16;
    private static final int GROUP = 0;
    private static final long READ = 0;
    /** The no-op that makes a new ring readable, so that the agent comes once to arm the read in its own thread. */
    private static final long KICK = 1;

    private final TapDevice tap;
    private final IoCounters counters;
    private final ProvidedBuffers buffers;
    private final IoUring ring;
    private boolean armed;
    /** The buffer of the frame handed out, given back at the next call; -1 if none. */
    private int lent = -1;
    private long offset;

    /**
     * @param readBytes the longest frame a read may return, and one byte more to see a cut
     * @param count     buffers, a power of two
     * @throws LinuxException if the kernel gives no io_uring (the message says what to do)
     */
    RingTapReads(TapDevice tap, int readBytes, int count) {
        this.tap = tap;
        this.counters = tap.counters();
        this.buffers = new ProvidedBuffers(count, readBytes);
        try {
            this.ring = new IoUring(count); // its completion queue holds twice as many: a completion per buffer fits
        } catch (RuntimeException e) {
            buffers.close();
            throw e;
        }
        try {
            if (!ring.supports(IoUring.OP_READ_MULTISHOT)) {
                throw new LinuxException("cannot read a tap through io_uring", "io_uring_register("
                    + "PROBE)", Errno.EINVAL, "this kernel has no multishot read (Linux 6.7); set switch.tapReads:"
                    + " read");
            }
            ring.registerBuffers(buffers, GROUP);
            ring.prepareNop(KICK);
            int r = ring.submitAndCollect();
            if (r < 0) {
                throw new LinuxException("cannot start a tap's io_uring", "io_uring_enter", -r,
                    null);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Why taps cannot be read this way here, or null if they can: a ring is set up and asked, as a tap's would be.
     * For the start-up line of {@code tapReads: auto}.
     */
    static String unavailable() {
        try (IoUring probe = new IoUring(2)) {
            return probe.supports(IoUring.OP_READ_MULTISHOT) ? null
                : "this kernel has no multishot read (Linux 6.7)";
        } catch (LinuxException e) {
            return e.getMessage();
        }
    }

    @Override
    public int next() {
        giveBack();
        while (true) {
            if (!ring.hasCompletion()) {
                if (!armed) {
                    ring.prepareReadMultishot(tap.fd(), GROUP, READ);
                    armed = true;
                }
                if (ring.unsubmitted() == 0) {
                    return 0; // frames that come now are read as this thread next passes through the kernel
                }
                int r = ring.submitAndCollect();
                if (r < 0 && r != -Errno.EINTR && r != -Errno.EAGAIN && r != -Errno.EBUSY) {
                    counters.increment(IoCounter.RX_ERRORS);
                    return r;
                }
                if (!ring.hasCompletion()) {
                    return 0;
                }
            }
            long data = ring.completionData();
            int n = ring.completionResult();
            int buffer = ring.completionBuffer();
            boolean more = ring.completionMore();
            ring.advance();
            if (data == KICK) {
                continue;
            }
            if (!more) {
                armed = false; // armed again when the completions are taken, below or at the end of the turn
            }
            if (n > 0 && buffer >= 0) {
                counters.increment(IoCounter.RX_FRAMES);
                counters.add(IoCounter.RX_BYTES, n);
                lent = buffer;
                offset = buffers.offset(buffer);
                return n;
            }
            if (buffer >= 0) {
                buffers.give(buffer); // an empty read that still took a buffer
            }
            if (n == -Errno.EBADFD) {
                return n; // the tap was deleted: not armed again
            }
            if (n < 0 && n != -Errno.ENOBUFS && n != -Errno.EAGAIN && n != -Errno.EINTR) {
                counters.increment(IoCounter.RX_ERRORS);
                return n; // the turn ends, as read(2)'s error ends it; the read is armed again next turn
            }
        }
    }

    private void giveBack() {
        if (lent >= 0) {
            buffers.give(lent);
            lent = -1;
        }
    }

    @Override
    public MemorySegment buffer() {
        return buffers.memory();
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public void endTurn(boolean cut) {
        giveBack(); // the frame handed out last is forwarded by now
        if (!armed && !cut) {
            // the read ended with its buffers full and nothing is left to take: armed again now, so that the frames
            // queued meanwhile, and those to come, make the descriptor readable again
            ring.prepareReadMultishot(tap.fd(), GROUP, READ);
            armed = true;
            ring.submitAndCollect();
        }
    }

    @Override
    public int fd() {
        return ring.fd();
    }

    /**
     * The ring first: closing it cancels the armed read, which holds the tap's file, and a read on a dying ring is
     * failed, not run, so nothing writes into the buffers after it ({@link IoUring#close}); the port closes the tap
     * after this.
     */
    @Override
    public void close() {
        ring.close();
        buffers.close();
    }
}
