package io.vxswitch.linux.uring;

import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.DataPathCalls;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.ffi.IoUringSetup;
import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.ffi.Mmap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * One io_uring of one thread: its submission queue, to which {@link #prepareReadMultishot} and {@link #prepareNop}
 * add entries, and its completion queue, read with {@link #hasCompletion}, {@link #completionData},
 * {@link #completionResult} and {@link #advance}. Nothing reaches the kernel until {@link #submitAndCollect}.
 *
 * <p>Set up with {@code IORING_SETUP_COOP_TASKRUN}: what the kernel does when a frame comes for an armed read (the
 * copy into a buffer, and its completion) runs in the thread that armed it, the next time that thread enters or
 * leaves the kernel, with no interrupt if it is running; one sleeping in {@code epoll_wait} is woken (the call
 * returns {@code EINTR}), and the completion makes the ring's descriptor readable. So the owner waits on the ring's
 * descriptor with its other ones. (Deferred completions, {@code DEFER_TASKRUN}, would run only inside
 * {@code io_uring_enter}, but the ring's own descriptor is not woken for them, and the eventfd registered for them
 * woke an epoll 14-18 ms after the frame on this kernel 6.18, one frame at a time, against ~70 us this way.)
 *
 * <p>The rings are mapped at construction; every call after it allocates nothing. Requests run their completions in
 * the thread that submitted them, so one thread submits the reads.
 */
public final class IoUring implements AutoCloseable {
    static final int SETUP_COOP_TASKRUN = 1 << 8;
    static final int FEAT_SINGLE_MMAP = 1;
    static final long OFF_SQES = 0x10000000L;
    /** {@code IORING_OP_READ_MULTISHOT}, Linux 6.7. */
    public static final int OP_READ_MULTISHOT = 49;
    private static final int PROBE_BYTES = 16;
    private static final int PROBE_OPS = 256;
    private static final int PROBE_OP_SUPPORTED = 1;
    static final byte SQE_BUFFER_SELECT = 1 << 5;
    static final int CQE_F_BUFFER = 1;
    static final int CQE_F_MORE = 2;
    static final int ENTER_GETEVENTS = 1;
    static final int SQE_BYTES = 64;
    static final int CQE_BYTES = 16;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final Arena arena = Arena.ofShared();
    private final DataPathCalls calls = new DataPathCalls(arena);
    private final int fd;
    private final long ringAddress;
    private final long ringBytes;
    private final long sqesAddress;
    private final long sqesBytes;
    private final MemorySegment ring;
    private final MemorySegment sqes;
    private final long sqTail;
    private final int sqMask;
    private final int sqEntries;
    private final long cqHead;
    private final long cqTail;
    private final int cqMask;
    private final long cqes;
    /** The submission queue's tail as this side knows it: only this side moves it. */
    private int tail;
    /** Entries queued and not yet taken by the kernel. */
    private int unsubmitted;
    /** The completion queue's head as this side knows it, published by {@link #advance}. */
    private int head;
    /** The completion queue's tail as last read. */
    private int seenTail;
    private boolean closed;

    /**
     * Makes a ring of {@code entries} submission slots (a power of two; the completion queue gets twice as many).
     *
     * @throws LinuxException if the kernel refuses, with what the user can do about it
     */
    public IoUring(int entries) {
        MemorySegment params = arena.allocate(IoUringSetup.PARAMS_BYTES, 8);
        params.set(ValueLayout.JAVA_INT, IoUringSetup.PARAMS_FLAGS, SETUP_COOP_TASKRUN);
        int f = IoUringSetup.setup(entries, params);
        if (f < 0) {
            arena.close();
            throw new LinuxException("cannot set up an io_uring", "io_uring_setup", -f, hint(-f));
        }
        fd = f;
        try {
            if ((params.get(ValueLayout.JAVA_INT, IoUringSetup.PARAMS_FEATURES) & FEAT_SINGLE_MMAP) == 0) {
                throw new LinuxException("cannot set up an io_uring", "io_uring_setup", Errno.EINVAL,
                    "this kernel maps the io_uring's queues apart (before Linux 5.4); set switch.tapReads: read");
            }
            sqEntries = params.get(ValueLayout.JAVA_INT, IoUringSetup.PARAMS_SQ_ENTRIES);
            int cqEntries = params.get(ValueLayout.JAVA_INT, IoUringSetup.PARAMS_CQ_ENTRIES);
            int sq = IoUringSetup.PARAMS_SQ_OFF;
            int cq = IoUringSetup.PARAMS_CQ_OFF;
            long sqArray = params.get(ValueLayout.JAVA_INT, sq + 24);
            long cqesOffset = params.get(ValueLayout.JAVA_INT, cq + 20);
            ringBytes = Math.max(sqArray + 4L * sqEntries, cqesOffset + (long) CQE_BYTES * cqEntries);
            ringAddress = check(map(ringBytes, 0L));
            sqesBytes = (long) SQE_BYTES * sqEntries;
            long s = map(sqesBytes, OFF_SQES);
            if (s < 0) {
                Mmap.munmap(ringAddress, ringBytes);
            }
            sqesAddress = check(s);
            ring = MemorySegment.ofAddress(ringAddress).reinterpret(ringBytes);
            sqes = MemorySegment.ofAddress(sqesAddress).reinterpret(sqesBytes);
            sqTail = params.get(ValueLayout.JAVA_INT, sq + 4);
            sqMask = ring.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, sq + 8));
            cqHead = params.get(ValueLayout.JAVA_INT, cq);
            cqTail = params.get(ValueLayout.JAVA_INT, cq + 4);
            cqMask = ring.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, cq + 8));
            cqes = cqesOffset;
            for (int i = 0; i < sqEntries; i++) {
                ring.set(ValueLayout.JAVA_INT, sqArray + 4L * i, i); // slot i is always entry i: no indirection
            }
            tail = ring.get(ValueLayout.JAVA_INT, sqTail);
            head = ring.get(ValueLayout.JAVA_INT, cqHead);
            seenTail = head;
        } catch (RuntimeException e) {
            Libc.close(fd);
            arena.close();
            throw e;
        }
    }

    private long map(long bytes, long offset) {
        return Mmap.mmap(bytes, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_SHARED | Mmap.MAP_POPULATE, fd, offset);
    }

    private static long check(long address) {
        if (address < 0) {
            throw new LinuxException("cannot map an io_uring's queues", "mmap", (int) -address, null);
        }
        return address;
    }

    private static String hint(int errno) {
        return switch (errno) {
            case Errno.EPERM -> "io_uring is switched off here (sysctl kernel.io_uring_disabled is 2, or 1 without"
                + " CAP_SYS_ADMIN) or refused by a seccomp filter (a container's default profile); allow it, or"
                + " set switch.tapReads: read";
            case Errno.ENOSYS -> "this kernel has no io_uring; set switch.tapReads: read";
            case Errno.EINVAL -> "this kernel lacks cooperative io_uring completions (Linux 5.19); set"
                + " switch.tapReads: read";
            case Errno.ENOMEM -> "the locked-memory limit is too low for the ring (ulimit -l)";
            default -> null;
        };
    }

    /** Free submission slots. */
    public int room() {
        return sqEntries - unsubmitted;
    }

    /** Entries queued that the kernel has not taken yet. */
    public int unsubmitted() {
        return unsubmitted;
    }

    /**
     * Queues a multishot read of {@code file} (Linux 6.7): armed once, it reads each frame the file has, now and as
     * they come, into the next buffer of provided-buffer group {@code bufferGroup}, one completion per read, each
     * carrying {@code userData} and its buffer's id ({@link #completionBuffer}); it ends (a completion without
     * {@link #completionMore}) when the group has no buffer left ({@code -ENOBUFS}), or on an error. The caller
     * keeps within {@link #room}.
     */
    public void prepareReadMultishot(int file, int bufferGroup, long userData) {
        long e = clearedEntry(userData); // off 0 (a stream), addr and len 0 (the provided buffer's)
        sqes.set(ValueLayout.JAVA_BYTE, e, (byte) OP_READ_MULTISHOT);
        sqes.set(ValueLayout.JAVA_BYTE, e + 1, SQE_BUFFER_SELECT);
        sqes.set(ValueLayout.JAVA_INT, e + 4, file);
        sqes.set(ValueLayout.JAVA_SHORT, e + 40, (short) bufferGroup); // buf_group
        queue();
    }

    /** The next submission entry, zeroed (opcode 0 is IORING_OP_NOP), with its user data: its offset in the SQEs. */
    private long clearedEntry(long userData) {
        long e = (long) (tail & sqMask) * SQE_BYTES;
        for (long k = 0; k < SQE_BYTES; k += 8) {
            sqes.set(ValueLayout.JAVA_LONG, e + k, 0L);
        }
        sqes.set(ValueLayout.JAVA_LONG, e + 32, userData);
        return e;
    }

    /** Hands the entry filled last to the kernel's side of the queue; it goes at the next {@link #submitAndCollect}. */
    private void queue() {
        tail++;
        unsubmitted++;
        INT.setRelease(ring, sqTail, tail);
    }

    /** Whether this kernel knows io_uring operation {@code opcode} ({@code IORING_REGISTER_PROBE}). */
    public boolean supports(int opcode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment probe = a.allocate(PROBE_BYTES + 8L * PROBE_OPS, 8); // struct io_uring_probe, zeroed
            int r = IoUringSetup.register(fd, IoUringSetup.REGISTER_PROBE, probe, PROBE_OPS);
            if (r < 0 || opcode > Byte.toUnsignedInt(probe.get(ValueLayout.JAVA_BYTE, 0))) { // last_op
                return false;
            }
            long op = PROBE_BYTES + 8L * opcode; // struct io_uring_probe_op: op, resv, flags (u16)
            return (probe.get(ValueLayout.JAVA_SHORT, op + 2) & PROBE_OP_SUPPORTED) != 0;
        }
    }

    /** Queues a no-op: its completion makes the ring's descriptor readable, once. */
    public void prepareNop(long userData) {
        clearedEntry(userData);
        queue();
    }

    /**
     * Registers a ring of provided buffers ({@link ProvidedBuffers}) as group {@code group} (Linux 5.19).
     *
     * @throws LinuxException if the kernel refuses
     */
    public void registerBuffers(ProvidedBuffers buffers, int group) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(40, 8); // struct io_uring_buf_reg
            reg.set(ValueLayout.JAVA_LONG, 0, buffers.ringAddress());
            reg.set(ValueLayout.JAVA_INT, 8, buffers.entries());
            reg.set(ValueLayout.JAVA_SHORT, 12, (short) group);
            int r = IoUringSetup.register(fd, IoUringSetup.REGISTER_PBUF_RING, reg, 1);
            if (r < 0) {
                throw new LinuxException("cannot register an io_uring's buffers", "io_uring_register(PBUF_RING)",
                    -r, r == -Errno.EINVAL ? "this kernel lacks provided-buffer rings (Linux 5.19); set"
                    + " switch.tapReads: read" : null);
            }
        }
    }

    /**
     * One {@code io_uring_enter}: hands the kernel what was queued, and runs the completions waiting for this thread
     * (their reads copy their frames now).
     *
     * @return how many entries the kernel took, or -errno ({@code EINTR}, {@code EAGAIN} and {@code EBUSY} mean
     *     try again at the next call; the entries not taken stay queued)
     */
    public int submitAndCollect() {
        int r = calls.ioUringEnter(fd, unsubmitted, 0, ENTER_GETEVENTS);
        if (r > 0) {
            unsubmitted -= r;
        }
        return r;
    }

    /** Whether a completion is waiting to be read. */
    public boolean hasCompletion() {
        if (head != seenTail) {
            return true;
        }
        seenTail = (int) INT.getAcquire(ring, cqTail);
        return head != seenTail;
    }

    /** The user data of the oldest completion; only after {@link #hasCompletion} said yes. */
    public long completionData() {
        return ring.get(ValueLayout.JAVA_LONG, cqes + (long) (head & cqMask) * CQE_BYTES);
    }

    /** The result of the oldest completion (bytes read, or -errno). */
    public int completionResult() {
        return ring.get(ValueLayout.JAVA_INT, cqes + (long) (head & cqMask) * CQE_BYTES + 8);
    }

    /** The id of the provided buffer the oldest completion filled, or -1 if it took none. */
    public int completionBuffer() {
        int flags = completionFlags();
        return (flags & CQE_F_BUFFER) != 0 ? flags >>> 16 : -1;
    }

    /** Whether the multishot request of the oldest completion goes on; false if this was its last completion. */
    public boolean completionMore() {
        return (completionFlags() & CQE_F_MORE) != 0;
    }

    private int completionFlags() {
        return ring.get(ValueLayout.JAVA_INT, cqes + (long) (head & cqMask) * CQE_BYTES + 12);
    }

    /** Done with the oldest completion: its slot goes back to the kernel. */
    public void advance() {
        head++;
        INT.setRelease(ring, cqHead, head);
    }

    public int fd() {
        return fd;
    }

    /**
     * Closes the ring: its queues are unmapped before its descriptor is closed, since a mapping holds the ring as the
     * descriptor does, and the reads still armed stay armed while anything holds it, and keep the files they read
     * (a C probe on Linux 6.18: a tap held for over 3 s by a ring closed but still mapped). Let go of last, the ring
     * is killed within the close, and a read on a dying ring is failed, not run, so the buffers they could fill may
     * be freed after this returns. Its armed reads are cancelled, and the files they hold let go, mostly within the
     * close too; where the cancel is left to the reading thread or to the ring's exit work on a kernel workqueue,
     * some milliseconds later (a tap outlived 3-15 % of 600 closes, by up to 24 ms: a probe of the three cases of
     * {@code TapPortNetnsTest}, not kept; the test holds the bound of a second). After {@code kill -9} the kernel
     * does all this in its own time: a dead switch's taps go ~20 ms after it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Mmap.munmap(sqesAddress, sqesBytes);
        Mmap.munmap(ringAddress, ringBytes);
        Libc.close(fd);
        arena.close();
    }
}
