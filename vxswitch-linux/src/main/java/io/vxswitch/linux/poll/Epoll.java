package io.vxswitch.linux.poll;

import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.DataPathCalls;
import io.vxswitch.linux.ffi.EpollEvent;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.ffi.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * An epoll instance over the descriptors of one poll loop (tap fds, packet and UDP sockets, an
 * {@link EventFd} for commands). Level-triggered: a descriptor stays ready until drained, so a loop that
 * reads a bounded batch per port and comes back loses nothing.
 *
 * <p>{@link #wait(int[], int)} reports ready descriptors into the caller's array, allocating nothing; the
 * event buffer is native and reused. Registration methods may be called from any thread; waiting belongs
 * to the loop's thread.
 */
public final class Epoll implements AutoCloseable {
    public static final int IN = EpollEvent.EPOLLIN;
    public static final int OUT = EpollEvent.EPOLLOUT;
    /** Always reported, never needs asking for. */
    public static final int ERR = EpollEvent.EPOLLERR;
    public static final int HUP = EpollEvent.EPOLLHUP;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment events;
    private final MemorySegment control = arena.allocate(EpollEvent.LAYOUT);
    private final DataPathCalls calls = new DataPathCalls(arena);
    private final int capacity;
    private int epfd;

    /** @param capacity the most ready descriptors one {@link #wait} reports */
    public Epoll(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("epoll capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
        this.events = arena.allocate(EpollEvent.SIZE * capacity, 8);
        int fd = Libc.epollCreate1(EpollEvent.EPOLL_CLOEXEC);
        if (fd < 0) {
            arena.close();
            LinuxException.check(fd, "cannot create an epoll instance", "epoll_create1");
        }
        this.epfd = fd;
    }

    public int fd() {
        return epfd;
    }

    public int capacity() {
        return capacity;
    }

    /** Watches {@code fd} for {@code events} ({@link #IN}, {@link #OUT}); the fd itself is what wait reports. */
    public synchronized void add(int fd, int events) {
        control(EpollEvent.EPOLL_CTL_ADD, fd, events, "epoll_ctl(EPOLL_CTL_ADD)");
    }

    public synchronized void modify(int fd, int events) {
        control(EpollEvent.EPOLL_CTL_MOD, fd, events, "epoll_ctl(EPOLL_CTL_MOD)");
    }

    /** Stops watching {@code fd}. Closing an fd removes it too. */
    public synchronized void remove(int fd) {
        control(EpollEvent.EPOLL_CTL_DEL, fd, 0, "epoll_ctl(EPOLL_CTL_DEL)");
    }

    private void control(int op, int fd, int events, String syscall) {
        EpollEvent.write(control, 0, events, fd);
        LinuxException.check(Libc.epollCtl(openFd(), op, fd, control), "cannot watch fd " + fd, syscall);
    }

    /**
     * Waits until a descriptor is ready or {@code timeoutMillis} pass ({@code 0}: just look; {@code -1}:
     * forever) and writes up to {@code min(capacity, readyFds.length)} ready fds into {@code readyFds}.
     *
     * @return how many were written; {@code 0} on timeout or when a signal interrupted the wait
     */
    public int wait(int[] readyFds, int timeoutMillis) {
        return wait(readyFds, null, timeoutMillis);
    }

    /** As {@link #wait(int[], int)}, with each fd's events ({@link #IN}, {@link #ERR}, ...) in {@code readyEvents}. */
    public int wait(int[] readyFds, int[] readyEvents, int timeoutMillis) {
        int max = Math.min(capacity, readyFds.length);
        if (readyEvents != null) {
            max = Math.min(max, readyEvents.length);
        }
        int n = calls.epollWait(openFd(), events, max, timeoutMillis);
        if (n < 0) {
            if (n == -Errno.EINTR) {
                return 0;
            }
            LinuxException.check(n, "epoll_wait failed", "epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            long at = EpollEvent.SIZE * i;
            readyFds[i] = (int) EpollEvent.data(events, at);
            if (readyEvents != null) {
                readyEvents[i] = EpollEvent.events(events, at);
            }
        }
        return n;
    }

    /**
     * Sleeps until any descriptor is ready or about {@code nanos} pass (rounded up to whole milliseconds):
     * a park for an idle strategy that wakes as soon as there is I/O. Which fds are ready is not kept;
     * level triggering reports them again to whoever looks.
     */
    public void awaitNanos(long nanos) {
        int millis = (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
        int n = calls.epollWait(openFd(), events, capacity, millis);
        if (n < 0 && n != -Errno.EINTR) {
            LinuxException.check(n, "epoll_wait failed", "epoll_wait");
        }
    }

    private int openFd() {
        int f = epfd;
        if (f < 0) {
            throw new IllegalStateException("epoll instance is closed");
        }
        return f;
    }

    @Override
    public synchronized void close() {
        int f = epfd;
        if (f >= 0) {
            epfd = -1;
            Libc.close(f);
            arena.close();
        }
    }
}
