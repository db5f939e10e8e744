package io.vxswitch.linux.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

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
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> STATE =
        ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

    private static final MethodHandle OPEN = errnoCall("open",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    private static final MethodHandle CLOSE = errnoCall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SCHED_SETAFFINITY = errnoCall("sched_setaffinity",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle GETTID = plainCall("gettid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle READ_RAW = errnoCall("read",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle WRITE_RAW = errnoCall("write",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle SENDTO_RAW = errnoCall("sendto",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle IOCTL_PTR = errnoCall("ioctl",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);
    private static final MethodHandle IOCTL_INT = errnoCall("ioctl",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), 2);
    private static final MethodHandle SOCKET = errnoCall("socket",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = errnoCall("bind",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = errnoCall("getsockname",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SETSOCKOPT = errnoCall("setsockopt",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = errnoCall("getsockopt",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECVMMSG = errnoCall("recvmmsg",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SENDMMSG = errnoCall("sendmmsg",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CREATE1 = errnoCall("epoll_create1",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = errnoCall("epoll_ctl",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = errnoCall("epoll_wait",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle EVENTFD = errnoCall("eventfd",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle IF_NAMETOINDEX = errnoCall("if_nametoindex",
        FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle IF_INDEXTONAME = errnoCall("if_indextoname",
        FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle MMAP = errnoCall("mmap",
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = errnoCall("munmap",
        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle SETNS = errnoCall("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    /** read/write without errno: for eventfd counters, where the only failure is EAGAIN. */
    private static final MethodHandle READ_NO_ERRNO = plainCall("read",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE_NO_ERRNO = plainCall("write",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle EPOLL_WAIT_NO_ERRNO = plainCall("epoll_wait",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = plainCall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle GETEUID = plainCall("geteuid", FunctionDescriptor.of(JAVA_INT));

    private Libc() {
    }

    // Linking native functions is "restricted" (it can crash the JVM if a descriptor is wrong); this class is
    // the one place vxswitch does it, and the module is run with --enable-native-access.
    @SuppressWarnings("restricted")
    private static MethodHandle errnoCall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, Linker.Option.captureCallState("errno"));
    }

    /** A variadic function: arguments from {@code firstVariadic} on are passed as C varargs. */
    @SuppressWarnings("restricted")
    private static MethodHandle errnoCall(String name, FunctionDescriptor descriptor, int firstVariadic) {
        return LINKER.downcallHandle(symbol(name), descriptor, Linker.Option.captureCallState("errno"),
            Linker.Option.firstVariadicArg(firstVariadic));
    }

    @SuppressWarnings("restricted")
    private static MethodHandle plainCall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("libc has no function '" + name + "'"));
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static int result(int r, MemorySegment state) {
        return r >= 0 ? r : -errno(state);
    }

    private static long result(long r, MemorySegment state) {
        return r >= 0 ? r : -errno(state);
    }

    private static AssertionError unexpected(Throwable t) {
        // invokeExact with matching types throws only what the target throws, and C functions throw nothing.
        return new AssertionError("native call failed in the linker: " + t, t);
    }

    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_POPULATE = 0x8000;

    /**
     * {@code mmap(NULL, length, prot, flags, fd, 0)}.
     *
     * @return the mapping's address, or {@code -errno} ({@code MAP_FAILED} is -1, and no valid address is negative
     *     on Linux, whose user space is the lower half, so the usual test holds)
     */
    public static long mmap(long length, int prot, int flags, int fd) {
        MemorySegment st = STATE.get();
        try {
            return result((long) MMAP.invokeExact(st, 0L, length, prot, flags, fd, 0L), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int munmap(long address, long length) {
        MemorySegment st = STATE.get();
        try {
            return result((int) MUNMAP.invokeExact(st, address, length), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code open(path, flags, 0)}; {@code path} a NUL-terminated string. */
    public static int open(MemorySegment path, int flags) {
        MemorySegment st = STATE.get();
        try {
            return result((int) OPEN.invokeExact(st, path, flags, 0), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int close(int fd) {
        MemorySegment st = STATE.get();
        try {
            return result((int) CLOSE.invokeExact(st, fd), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code ioctl(fd, request, arg)} with a pointer argument (ifreq, int*). */
    public static int ioctl(int fd, long request, MemorySegment arg) {
        MemorySegment st = STATE.get();
        try {
            return result((int) IOCTL_PTR.invokeExact(st, fd, request, arg), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code ioctl(fd, request, value)} with an integer argument (TUNSETPERSIST, TUNSETOFFLOAD). */
    public static int ioctl(int fd, long request, long value) {
        MemorySegment st = STATE.get();
        try {
            return result((int) IOCTL_INT.invokeExact(st, fd, request, value), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code sched_setaffinity(tid, size, mask)}: 0, or -errno. {@code tid} 0 is the calling thread. */
    public static int schedSetaffinity(int tid, MemorySegment mask) {
        MemorySegment st = STATE.get();
        try {
            return result((int) SCHED_SETAFFINITY.invokeExact(st, tid, mask.byteSize(), mask), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The calling thread's kernel id ({@code gettid}, glibc 2.30+). */
    public static int gettid() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int socket(int domain, int type, int protocol) {
        MemorySegment st = STATE.get();
        try {
            return result((int) SOCKET.invokeExact(st, domain, type, protocol), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int bind(int fd, MemorySegment address, int addressLength) {
        MemorySegment st = STATE.get();
        try {
            return result((int) BIND.invokeExact(st, fd, address, addressLength), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code getsockname(fd, address, &length)}; {@code length} an int segment, in and out. */
    public static int getsockname(int fd, MemorySegment address, MemorySegment length) {
        MemorySegment st = STATE.get();
        try {
            return result((int) GETSOCKNAME.invokeExact(st, fd, address, length), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int setsockopt(int fd, int level, int name, MemorySegment value, int length) {
        MemorySegment st = STATE.get();
        try {
            return result((int) SETSOCKOPT.invokeExact(st, fd, level, name, value, length), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code getsockopt(fd, level, name, value, &length)}; {@code length} an int segment, in and out. */
    public static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment length) {
        MemorySegment st = STATE.get();
        try {
            return result((int) GETSOCKOPT.invokeExact(st, fd, level, name, value, length), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int epollCreate1(int flags) {
        MemorySegment st = STATE.get();
        try {
            return result((int) EPOLL_CREATE1.invokeExact(st, flags), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code epoll_ctl(epfd, op, fd, event)}; {@code event} one {@link EpollEvent} (ignored for DEL). */
    public static int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        MemorySegment st = STATE.get();
        try {
            return result((int) EPOLL_CTL.invokeExact(st, epfd, op, fd, event), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int eventfd(int initial, int flags) {
        MemorySegment st = STATE.get();
        try {
            return result((int) EVENTFD.invokeExact(st, initial, flags), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The interface index, or {@code -errno} (ENODEV when there is no such interface). */
    public static int ifNameToIndex(MemorySegment name) {
        MemorySegment st = STATE.get();
        try {
            int index = (int) IF_NAMETOINDEX.invokeExact(st, name);
            return index != 0 ? index : -errno(st);
        } catch (Throwable t) {
            throw unexpected(t);
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
            return r.address() != 0 ? 0 : -errno(st);
        } catch (Throwable t) {
            throw unexpected(t);
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
            throw unexpected(t);
        }
    }

    /** {@code write} that does not capture errno; see {@link #readNoErrno}. */
    public static long writeNoErrno(int fd, MemorySegment buf, long count) {
        try {
            return (long) WRITE_NO_ERRNO.invokeExact(fd, buf, count);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code setns(fd, nstype)}: moves the calling thread (only) into the namespace {@code fd} refers to. */
    public static int setns(int fd, int nstype) {
        MemorySegment st = STATE.get();
        try {
            return result((int) SETNS.invokeExact(st, fd, nstype), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // The per-frame forms, for DataPathCalls: the caller passes its own capture segment and gets the raw
    // result (-1 on failure). They are kept under 35 bytes of bytecode so C2 inlines them even at call sites
    // it does not consider hot; a wrapper it leaves out of line runs as C1 code for a long time, and there
    // the JDK's downcall adapter allocates a slice of the capture segment on every call.

    static long read(MemorySegment state, int fd, long address, long count) {
        try {
            return (long) READ_RAW.invokeExact(state, fd, address, count);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static long write(MemorySegment state, int fd, long address, long count) {
        try {
            return (long) WRITE_RAW.invokeExact(state, fd, address, count);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static long sendto(MemorySegment state, int fd, long address, long length, int flags, MemorySegment to,
                       int toLength) {
        try {
            return (long) SENDTO_RAW.invokeExact(state, fd, address, length, flags, to, toLength);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int recvmmsg(MemorySegment state, int fd, MemorySegment msgvec, int vlen, int flags) {
        try {
            return (int) RECVMMSG.invokeExact(state, fd, msgvec, vlen, flags, MemorySegment.NULL);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int sendmmsg(MemorySegment state, int fd, MemorySegment msgvec, int vlen, int flags) {
        try {
            return (int) SENDMMSG.invokeExact(state, fd, msgvec, vlen, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int epollWait(MemorySegment state, int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        try {
            return (int) EPOLL_WAIT.invokeExact(state, epfd, events, maxEvents, timeoutMillis);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int epollWaitNoErrno(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        try {
            return (int) EPOLL_WAIT_NO_ERRNO.invokeExact(epfd, events, maxEvents, timeoutMillis);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static MemorySegment allocateCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    static int errnoOf(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** libc's text for an errno, e.g. "Device or resource busy". Error paths only: it allocates. */
    @SuppressWarnings("restricted") // reinterpret: strerror returns a NUL-terminated string of unknown length
    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? "errno " + errno : text.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
