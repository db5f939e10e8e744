package io.vxswitch.linux.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The calls a port makes per frame or per batch, for the one thread that owns the port: errno is captured
 * into this object's own segment, so there is no thread-local lookup, and every method returns the result
 * ({@code >= 0}) or {@code -errno} like {@link Libc}. Buffers are raw addresses from
 * {@link NativeBuffers#address} or preallocated native segments.
 *
 * <p>Why these calls are not in {@link Libc} with its thread-local errno: allocation-free only holds if C2
 * inlines the downcall adapter into a method it compiles, so these wrappers stay tiny; see the note in
 * {@code Libc}.
 */
public final class DataPathCalls {
    private static final MethodHandle READ_RAW = Linking.errnoCall("read",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle WRITE_RAW = Linking.errnoCall("write",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle SENDTO_RAW = Linking.errnoCall("sendto",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMMSG = Linking.errnoCall("recvmmsg",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SENDMMSG = Linking.errnoCall("sendmmsg",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_WAIT = Linking.errnoCall("epoll_wait",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    /** glibc's {@code syscall(2)}, for io_uring_enter (libc has no wrapper); every argument passed as a long. */
    private static final MethodHandle SYSCALL6 = Linking.errnoCall("syscall",
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
        1);
    private static final long SYS_IO_URING_ENTER = 426;
    private static final MethodHandle EPOLL_WAIT_NO_ERRNO = Linking.plainCall("epoll_wait",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    private final MemorySegment state;

    public DataPathCalls(Arena arena) {
        this.state = Linking.allocateCallState(arena);
    }

    private long result(long r) {
        return r >= 0 ? r : -Linking.errnoOf(state);
    }

    private int result(int r) {
        return r >= 0 ? r : -Linking.errnoOf(state);
    }

    public long read(int fd, long address, long count) {
        return result(readRaw(state, fd, address, count));
    }

    public long write(int fd, long address, long count) {
        return result(writeRaw(state, fd, address, count));
    }

    public long sendto(int fd, long address, long length, int flags, MemorySegment to, int toLength) {
        return result(sendtoRaw(state, fd, address, length, flags, to, toLength));
    }

    /** {@code recvmmsg(fd, msgvec, vlen, flags, NULL)}: no timeout, the sockets are non-blocking. */
    public int recvmmsg(int fd, MemorySegment msgvec, int vlen, int flags) {
        return result(recvmmsgRaw(state, fd, msgvec, vlen, flags));
    }

    public int sendmmsg(int fd, MemorySegment msgvec, int vlen, int flags) {
        return result(sendmmsgRaw(state, fd, msgvec, vlen, flags));
    }

    /**
     * {@code io_uring_enter(ring, toSubmit, minComplete, flags, NULL, 0)}: submits the queued entries and, with
     * {@code IORING_ENTER_GETEVENTS}, runs the ring's deferred completions; the number submitted, or -errno.
     */
    public int ioUringEnter(int ring, int toSubmit, int minComplete, int flags) {
        return (int) result(syscall6Raw(state, SYS_IO_URING_ENTER, ring, toSubmit, minComplete, flags));
    }

    /**
     * {@code epoll_wait}, once per wake-up of every loop, so it skips errno capture: only when it fails
     * (EINTR, or a bug such as EBADF) is it called again, with capture and without waiting, to learn why.
     * A failed epoll_wait changes nothing, so the second call sees the same state.
     */
    public int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        int n = epollWaitNoErrno(epfd, events, maxEvents, timeoutMillis);
        return n >= 0 ? n : result(epollWaitRaw(state, epfd, events, maxEvents, 0));
    }

    // The per-frame forms: the caller passes its own capture segment and gets the raw
    // result (-1 on failure). They are kept under 35 bytes of bytecode so C2 inlines them even at call sites
    // it does not consider hot; a wrapper it leaves out of line runs as C1 code for a long time, and there
    // the JDK's downcall adapter allocates a slice of the capture segment on every call.

    private static long readRaw(MemorySegment state, int fd, long address, long count) {
        try {
            return (long) READ_RAW.invokeExact(state, fd, address, count);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    private static long writeRaw(MemorySegment state, int fd, long address, long count) {
        try {
            return (long) WRITE_RAW.invokeExact(state, fd, address, count);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    private static long sendtoRaw(MemorySegment state, int fd, long address, long length, int flags,
                                  MemorySegment to,
                       int toLength) {
        try {
            return (long) SENDTO_RAW.invokeExact(state, fd, address, length, flags, to, toLength);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    private static int recvmmsgRaw(MemorySegment state, int fd, MemorySegment msgvec, int vlen, int flags) {
        try {
            return (int) RECVMMSG.invokeExact(state, fd, msgvec, vlen, flags, MemorySegment.NULL);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    private static int sendmmsgRaw(MemorySegment state, int fd, MemorySegment msgvec, int vlen, int flags) {
        try {
            return (int) SENDMMSG.invokeExact(state, fd, msgvec, vlen, flags);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    private static long syscall6Raw(MemorySegment state, long number, long a, long b, long c, long d) {
        try {
            return (long) SYSCALL6.invokeExact(state, number, a, b, c, d, 0L, 0L);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    private static int epollWaitRaw(MemorySegment state, int epfd, MemorySegment events, int maxEvents,
                                    int timeoutMillis) {
        try {
            return (int) EPOLL_WAIT.invokeExact(state, epfd, events, maxEvents, timeoutMillis);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    private static int epollWaitNoErrno(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        try {
            return (int) EPOLL_WAIT_NO_ERRNO.invokeExact(epfd, events, maxEvents, timeoutMillis);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }
}
