package io.vxswitch.linux.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The calls of a vhost-user control channel: a Unix stream socket (listen, accept, connect) whose messages carry
 * file descriptors ({@code SCM_RIGHTS}), and what is done with the descriptors received ({@code fstat} of a memory
 * file before it is mapped); a Unix datagram socket and {@code sendto}, for systemd's notification socket. Also
 * {@code memfd_create}, {@code ftruncate} and {@code socketpair}, with which the tests play a vhost-user front-end. Same contract as {@link Libc}: a result {@code >= 0}, or {@code -errno}. Control
 * threads only: these may block, and some allocate.
 */
public final class UnixCalls {
    public static final int AF_UNIX = 1;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SCM_RIGHTS = 1;
    public static final int SHUT_RDWR = 2;
    /** {@code sizeof(struct sockaddr_un)}: a 2-byte family and 108 bytes of path. */
    public static final int SOCKADDR_UN_SIZE = 110;
    /** The longest socket path, without its NUL. */
    public static final int MAX_PATH = 107;
    /** recv/send flag: no SIGPIPE on a peer that went away (the JVM would not die of it, but EPIPE is clearer). */
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;
    public static final int MFD_CLOEXEC = 1;

    private static final ThreadLocal<MemorySegment> STATE =
        ThreadLocal.withInitial(() -> Linking.allocateCallState(Arena.ofAuto()));

    private static final MethodHandle LISTEN = Linking.errnoCall("listen",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT4 = Linking.errnoCall("accept4",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle CONNECT = Linking.errnoCall("connect",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG = Linking.errnoCall("recvmsg",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDTO = Linking.errnoCall("sendto",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDMSG = Linking.errnoCall("sendmsg",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SHUTDOWN = Linking.errnoCall("shutdown",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SOCKETPAIR = Linking.errnoCall("socketpair",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle FSTAT = Linking.errnoCall("fstat",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle MEMFD_CREATE = Linking.errnoCall("memfd_create",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FTRUNCATE = Linking.errnoCall("ftruncate",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));

    /** {@code struct stat} is 144 bytes on x86_64 and 128 on the asm-generic architectures; room for either. */
    private static final int STAT_SIZE = 256;
    /** {@code st_size} sits at 48 on both x86_64 and asm-generic (aarch64). */
    private static final long STAT_SIZE_OFFSET = 48;
    /**
     * {@code st_blksize} sits at 56 on both; 8 bytes on x86_64, 4 on aarch64, so its low 4 bytes (little-endian) are
     * read.
     */
    private static final long STAT_BLKSIZE_OFFSET = 56;

    private UnixCalls() {
    }

    private static int result(int r, MemorySegment state) {
        return r >= 0 ? r : -Linking.errnoOf(state);
    }

    private static long result(long r, MemorySegment state) {
        return r >= 0 ? r : -Linking.errnoOf(state);
    }

    /**
     * A {@code struct sockaddr_un} for {@code path}, in {@code arena}.
     *
     * @throws IllegalArgumentException if the path is longer than {@link #MAX_PATH} bytes
     */
    public static MemorySegment sockaddr(Arena arena, String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_PATH || bytes.length == 0) {
            throw new IllegalArgumentException("a Unix socket path has 1 to " + MAX_PATH + " bytes, '" + path
                + "' has " + bytes.length);
        }
        MemorySegment s = arena.allocate(SOCKADDR_UN_SIZE, 2);
        s.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 2, bytes.length);
        return s;
    }

    /**
     * A {@code struct sockaddr_un} for an abstract socket name (Linux: no file; the name lives in the network
     * namespace), in {@code arena}. {@code sun_path} starts with a NUL and the name follows, without a NUL of its own:
     * every byte up to the address length is the name, so the segment is exactly as long as the address, and
     * {@code byteSize()} is the length to pass.
     *
     * @param name the name without its leading NUL (what {@code ss -x} shows after the {@code @})
     * @throws IllegalArgumentException if the name is empty or longer than {@link #MAX_PATH} bytes
     */
    public static MemorySegment abstractSockaddr(Arena arena, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_PATH || bytes.length == 0) {
            throw new IllegalArgumentException("an abstract Unix socket name has 1 to " + MAX_PATH + " bytes, '"
                + name + "' has " + bytes.length);
        }
        MemorySegment s = arena.allocate(2 + 1 + bytes.length, 2);
        s.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 3, bytes.length);
        return s;
    }

    /** A Unix datagram socket, close-on-exec. */
    public static int socketDatagram() {
        return Libc.socket(AF_UNIX, SOCK_DGRAM | Sockets.SOCK_CLOEXEC, 0);
    }

    /** A blocking Unix stream socket, close-on-exec. */
    public static int socketStream() {
        return Libc.socket(AF_UNIX, SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0);
    }

    public static int listen(int fd, int backlog) {
        MemorySegment st = STATE.get();
        try {
            return result((int) LISTEN.invokeExact(st, fd, backlog), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /** {@code accept4(fd, NULL, NULL, flags)}: the peer's address of a Unix socket says nothing. */
    public static int accept4(int fd, int flags) {
        MemorySegment st = STATE.get();
        try {
            return result((int) ACCEPT4.invokeExact(st, fd, MemorySegment.NULL, MemorySegment.NULL, flags), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    public static int connect(int fd, MemorySegment address, int length) {
        MemorySegment st = STATE.get();
        try {
            return result((int) CONNECT.invokeExact(st, fd, address, length), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /** {@code recvmsg(fd, msg, flags)}: the bytes received, 0 at the peer's end, or {@code -errno}. */
    public static long recvmsg(int fd, MemorySegment msg, int flags) {
        MemorySegment st = STATE.get();
        try {
            return result((long) RECVMSG.invokeExact(st, fd, msg, flags), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    public static long sendmsg(int fd, MemorySegment msg, int flags) {
        MemorySegment st = STATE.get();
        try {
            return result((long) SENDMSG.invokeExact(st, fd, msg, flags), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /** {@code sendto(fd, buf, buf.byteSize(), flags, address, length)}: the bytes sent, or {@code -errno}. */
    public static long sendto(int fd, MemorySegment buf, int flags, MemorySegment address, int length) {
        MemorySegment st = STATE.get();
        try {
            return result((long) SENDTO.invokeExact(st, fd, buf, buf.byteSize(), flags, address, length), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /** Wakes a thread blocked in {@code recvmsg} or {@code accept} on {@code fd}: they return at once. */
    public static int shutdown(int fd, int how) {
        MemorySegment st = STATE.get();
        try {
            return result((int) SHUTDOWN.invokeExact(st, fd, how), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /** A connected pair of Unix stream sockets, written into {@code fds[0..1]}; 0 or {@code -errno}. */
    public static int socketpair(int[] fds) {
        MemorySegment st = STATE.get();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pair = a.allocate(ValueLayout.JAVA_INT, 2);
            int r = result((int) SOCKETPAIR.invokeExact(st, AF_UNIX, SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0, pair),
                st);
            if (r == 0) {
                fds[0] = pair.getAtIndex(ValueLayout.JAVA_INT, 0);
                fds[1] = pair.getAtIndex(ValueLayout.JAVA_INT, 1);
            }
            return r;
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /**
     * The size and block size of what {@code fd} refers to: {@code [st_size, st_blksize]}, or {@code null} with
     * {@code errno[0]} set when fstat failed. A hugetlbfs file's block size is its page size, which a mapping of
     * it must be a multiple of.
     */
    public static long[] sizeAndBlockSize(int fd, int[] errno) {
        MemorySegment st = STATE.get();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment stat = a.allocate(STAT_SIZE, 8);
            int r = result((int) FSTAT.invokeExact(st, fd, stat), st);
            if (r < 0) {
                errno[0] = -r;
                return null;
            }
            return new long[] {stat.get(ValueLayout.JAVA_LONG, STAT_SIZE_OFFSET),
                Integer.toUnsignedLong(stat.get(ValueLayout.JAVA_INT, STAT_BLKSIZE_OFFSET))};
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    /** An anonymous memory file (what QEMU's {@code memory-backend-memfd} gives a guest), close-on-exec. */
    public static int memfdCreate(String name) {
        MemorySegment st = STATE.get();
        try (Arena a = Arena.ofConfined()) {
            return result((int) MEMFD_CREATE.invokeExact(st, a.allocateFrom(name), MFD_CLOEXEC), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    public static int ftruncate(int fd, long length) {
        MemorySegment st = STATE.get();
        try {
            return result((int) FTRUNCATE.invokeExact(st, fd, length), st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }
}
