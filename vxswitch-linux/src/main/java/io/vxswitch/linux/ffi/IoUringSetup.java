package io.vxswitch.linux.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The set-up calls of an io_uring (libc has no wrappers; they go through {@code syscall(2)}), and the layout of
 * {@code struct io_uring_params} they fill in (linux/io_uring.h). Each returns its result or {@code -errno}.
 */
public final class IoUringSetup {
    private static final MethodHandle SYSCALL = Linking.errnoCall("syscall",
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);
    private static final long SYS_IO_URING_SETUP = 425;
    private static final long SYS_IO_URING_REGISTER = 427;

    /** {@code sizeof(struct io_uring_params)}. */
    public static final int PARAMS_BYTES = 120;
    public static final int PARAMS_SQ_ENTRIES = 0;
    public static final int PARAMS_CQ_ENTRIES = 4;
    public static final int PARAMS_FLAGS = 8;
    public static final int PARAMS_FEATURES = 20;
    /** {@code struct io_sqring_offsets sq_off}: head, tail, ring_mask, ring_entries, flags, dropped, array. */
    public static final int PARAMS_SQ_OFF = 40;
    /** {@code struct io_cqring_offsets cq_off}: head, tail, ring_mask, ring_entries, overflow, cqes. */
    public static final int PARAMS_CQ_OFF = 80;

    public static final int REGISTER_PROBE = 8;
    public static final int REGISTER_PBUF_RING = 22;

    private IoUringSetup() {
    }

    /** {@code io_uring_setup(entries, params)}: the ring's descriptor, or -errno. */
    public static int setup(int entries, MemorySegment params) {
        return (int) call(SYS_IO_URING_SETUP, entries, params.address(), 0, 0);
    }

    /** {@code io_uring_register(ring, opcode, arg, count)}: 0 or a count, or -errno. */
    public static int register(int ring, int opcode, MemorySegment arg, int count) {
        return (int) call(SYS_IO_URING_REGISTER, ring, opcode, arg.address(), count);
    }

    private static long call(long number, long a, long b, long c, long d) {
        MemorySegment st = Linking.allocateCallState(Arena.ofAuto());
        try {
            long r = (long) SYSCALL.invokeExact(st, number, a, b, c, d);
            return r >= 0 ? r : -Linking.errnoOf(st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }
}
