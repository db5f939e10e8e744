package io.vxswitch.linux.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc calls vxswitch needs, bound once through the FFM linker.
 *
 * <p><b>Contract, the kernel's own:</b> every method returns the call's result when it is {@code >= 0} and
 * {@code -errno} when it failed, so a caller tests {@code r < 0} and never reads a thread-global errno later
 * (the JVM may call libc itself in between). errno is captured with {@code Linker.Option.captureCallState}
 * into a small per-thread segment; the wrappers take only primitives and {@link MemorySegment}s, so the
 * data path allocates nothing.
 *
 * <p>Buffers must be native segments: heap segments are refused by the linker (these calls may block or
 * touch the buffer for a long time, so they are not linked as "critical").
 */
public final class Libc {
    private static final ThreadLocal<MemorySegment> STATE =
        ThreadLocal.withInitial(() -> Linking.allocateCallState(Arena.ofAuto()));

    private static final MethodHandle OPEN = Linking.errnoCall("open",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    private static final MethodHandle CLOSE = Linking.errnoCall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SCHED_SETAFFINITY = Linking.errnoCall("sched_setaffinity",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle GETTID = Linking.plainCall("gettid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle IOCTL_PTR = Linking.errnoCall("ioctl",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);
    private static final MethodHandle IOCTL_INT = Linking.errnoCall("ioctl",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), 2);
    private static final MethodHandle SOCKET = Linking.errnoCall("socket",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = Linking.errnoCall("bind",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CONNECT = Linking.errnoCall("connect",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = Linking.errnoCall("getsockname",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SETSOCKOPT = Linking.errnoCall("setsockopt",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = Linking.errnoCall("getsockopt",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle EPOLL_CREATE1 = Linking.errnoCall("epoll_create1",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = Linking.errnoCall("epoll_ctl",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EVENTFD = Linking.errnoCall("eventfd",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle IF_NAMETOINDEX = Linking.errnoCall("if_nametoindex",
        FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle IF_INDEXTONAME = Linking.errnoCall("if_indextoname",
        FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle SETNS = Linking.errnoCall("setns",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    /** read/write without errno: for eventfd counters, where the only failure is EAGAIN. */
    private static final MethodHandle READ_NO_ERRNO = Linking.plainCall("read",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE_NO_ERRNO = Linking.plainCall("write",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle STRERROR = Linking.plainCall("strerror",
        FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle GETEUID = Linking.plainCall("geteuid", FunctionDescriptor.of(JAVA_INT));

    private Libc() {
    }

    private static int result(int r, MemorySegment state) {
        return r >= 0 ? r : -Linking.errnoOf(state);
    }

    private static long result(long r, MemorySegment state) {
        return r >= 0 ? r : -Linking.errnoOf(state);
    }

    /** {@code open(path, flags, 0)}; {@code path} a NUL-terminated string. */
    public static int open(MemorySegment path, int flags) {
        MemorySegment st = STATE.get();
        try {
            return result((int) OPEN.invokeExact(st, path, flags, 0), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    public static int close(int fd) {
        MemorySegment st = STATE.get();
        try {
            return result((int) CLOSE.invokeExact(st, fd), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /** {@code ioctl(fd, request, arg)} with a pointer argument (ifreq, int*). */
    public static int ioctl(int fd, long request, MemorySegment arg) {
        MemorySegment st = STATE.get();
        try {
            return result((int) IOCTL_PTR.invokeExact(st, fd, request, arg), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /** {@code ioctl(fd, request, value)} with an integer argument (TUNSETPERSIST, TUNSETOFFLOAD). */
    public static int ioctl(int fd, long request, long value) {
        MemorySegment st = STATE.get();
        try {
            return result((int) IOCTL_INT.invokeExact(st, fd, request, value), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /** {@code sched_setaffinity(tid, size, mask)}: 0, or -errno. {@code tid} 0 is the calling thread. */
    public static int schedSetaffinity(int tid, MemorySegment mask) {
        MemorySegment st = STATE.get();
        try {
            return result((int) SCHED_SETAFFINITY.invokeExact(st, tid, mask.byteSize(), mask), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /** The calling thread's kernel id ({@code gettid}, glibc 2.30+). */
    public static int gettid() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    public static int socket(int domain, int type, int protocol) {
        MemorySegment st = STATE.get();
        try {
            return result((int) SOCKET.invokeExact(st, domain, type, protocol), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    public static int bind(int fd, MemorySegment address, int addressLength) {
        MemorySegment st = STATE.get();
        try {
            return result((int) BIND.invokeExact(st, fd, address, addressLength), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    public static int connect(int fd, MemorySegment address, int addressLength) {
        MemorySegment st = STATE.get();
        try {
            return result((int) CONNECT.invokeExact(st, fd, address, addressLength), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /** {@code getsockname(fd, address, &length)}; {@code length} an int segment, in and out. */
    public static int getsockname(int fd, MemorySegment address, MemorySegment length) {
        MemorySegment st = STATE.get();
        try {
            return result((int) GETSOCKNAME.invokeExact(st, fd, address, length), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    public static int setsockopt(int fd, int level, int name, MemorySegment value, int length) {
        MemorySegment st = STATE.get();
        try {
            return result((int) SETSOCKOPT.invokeExact(st, fd, level, name, value, length), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /** {@code getsockopt(fd, level, name, value, &length)}; {@code length} an int segment, in and out. */
    public static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment length) {
        MemorySegment st = STATE.get();
        try {
            return result((int) GETSOCKOPT.invokeExact(st, fd, level, name, value, length), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    public static int epollCreate1(int flags) {
        MemorySegment st = STATE.get();
        try {
            return result((int) EPOLL_CREATE1.invokeExact(st, flags), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /** {@code epoll_ctl(epfd, op, fd, event)}; {@code event} one {@link EpollEvent} (ignored for DEL). */
    public static int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        MemorySegment st = STATE.get();
        try {
            return result((int) EPOLL_CTL.invokeExact(st, epfd, op, fd, event), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    public static int eventfd(int initial, int flags) {
        MemorySegment st = STATE.get();
        try {
            return result((int) EVENTFD.invokeExact(st, initial, flags), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /** The interface index, or {@code -errno} (ENODEV when there is no such interface). */
    public static int ifNameToIndex(MemorySegment name) {
        MemorySegment st = STATE.get();
        try {
            int index = (int) IF_NAMETOINDEX.invokeExact(st, name);
            return index != 0 ? index : -Linking.errnoOf(st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /**
     * Writes the name of interface {@code index} into {@code name} (at least IF_NAMESIZE = 16 bytes); returns 0, or
     * {@code -errno} (ENXIO when this namespace has no such interface).
     */
    public static int ifIndexToName(int index, MemorySegment name) {
        MemorySegment st = STATE.get();
        try {
            MemorySegment r = (MemorySegment) IF_INDEXTONAME.invokeExact(st, index, name);
            return r.address() != 0 ? 0 : -Linking.errnoOf(st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /**
     * {@code read} that does not capture errno ({@code -1} on any failure). Capturing costs a segment slice
     * in the JDK's downcall adapter, which C2 does not always remove; calls whose only failure is EAGAIN
     * (an eventfd) skip it.
     */
    public static long readNoErrno(int fd, MemorySegment buf, long count) {
        try {
            return (long) READ_NO_ERRNO.invokeExact(fd, buf, count);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /** {@code write} that does not capture errno; see {@link #readNoErrno}. */
    public static long writeNoErrno(int fd, MemorySegment buf, long count) {
        try {
            return (long) WRITE_NO_ERRNO.invokeExact(fd, buf, count);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /** {@code setns(fd, nstype)}: moves the calling thread (only) into the namespace {@code fd} refers to. */
    public static int setns(int fd, int nstype) {
        MemorySegment st = STATE.get();
        try {
            return result((int) SETNS.invokeExact(st, fd, nstype), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /** libc's text for an errno, e.g. "Device or resource busy". Error paths only: it allocates. */
    @SuppressWarnings("restricted") // reinterpret: strerror returns a NUL-terminated string of unknown length
    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? "errno " + errno : text.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    public static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }
}
