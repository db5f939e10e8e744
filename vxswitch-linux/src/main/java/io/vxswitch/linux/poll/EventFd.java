package io.vxswitch.linux.poll;

import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A wake-up for a poll loop blocked in {@link Epoll}: another thread (the API, a signal handler) queues a
 * command and calls {@link #signal()}; the loop sees the fd readable and calls {@link #drain()}.
 * Non-blocking eventfd(2).
 */
public final class EventFd implements AutoCloseable {
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment one = arena.allocateFrom(ValueLayout.JAVA_LONG, 1L);
    private final MemorySegment counter = arena.allocate(ValueLayout.JAVA_LONG);
    private int fd;

    public EventFd() {
        int f = Libc.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (f < 0) {
            arena.close();
            LinuxException.check(f, "cannot create an eventfd", "eventfd");
        }
        fd = f;
    }

    public int fd() {
        return fd;
    }

    /** Makes the fd readable. Any thread; never blocks (a saturated counter is already readable). */
    public void signal() {
        // Fails only with EAGAIN, when the counter is saturated and so already readable.
        Libc.writeNoErrno(openFd(), one, 8);
    }

    /** Clears it; returns how many signals were pending (0 if none). Loop thread only. */
    public long drain() {
        long r = Libc.readNoErrno(openFd(), counter, 8);
        return r == 8 ? counter.get(ValueLayout.JAVA_LONG, 0) : 0;
    }

    private int openFd() {
        int f = fd;
        if (f < 0) {
            throw new IllegalStateException("eventfd is closed");
        }
        return f;
    }

    @Override
    public void close() {
        int f = fd;
        if (f >= 0) {
            fd = -1;
            Libc.close(f);
            arena.close();
        }
    }
}
