package io.vxswitch.linux.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

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
    private final MemorySegment state;

    public DataPathCalls(Arena arena) {
        this.state = Libc.allocateCallState(arena);
    }

    private long result(long r) {
        return r >= 0 ? r : -Libc.errnoOf(state);
    }

    private int result(int r) {
        return r >= 0 ? r : -Libc.errnoOf(state);
    }

    public long read(int fd, long address, long count) {
        return result(Libc.read(state, fd, address, count));
    }

    public long write(int fd, long address, long count) {
        return result(Libc.write(state, fd, address, count));
    }

    public long sendto(int fd, long address, long length, int flags, MemorySegment to, int toLength) {
        return result(Libc.sendto(state, fd, address, length, flags, to, toLength));
    }

    /** {@code recvmmsg(fd, msgvec, vlen, flags, NULL)}: no timeout, the sockets are non-blocking. */
    public int recvmmsg(int fd, MemorySegment msgvec, int vlen, int flags) {
        return result(Libc.recvmmsg(state, fd, msgvec, vlen, flags));
    }

    public int sendmmsg(int fd, MemorySegment msgvec, int vlen, int flags) {
        return result(Libc.sendmmsg(state, fd, msgvec, vlen, flags));
    }

    /**
     * {@code epoll_wait}, once per wake-up of every loop, so it skips errno capture: only when it fails
     * (EINTR, or a bug such as EBADF) is it called again, with capture and without waiting, to learn why.
     * A failed epoll_wait changes nothing, so the second call sees the same state.
     */
    public int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        int n = Libc.epollWaitNoErrno(epfd, events, maxEvents, timeoutMillis);
        return n >= 0 ? n : result(Libc.epollWait(state, epfd, events, maxEvents, 0));
    }
}
