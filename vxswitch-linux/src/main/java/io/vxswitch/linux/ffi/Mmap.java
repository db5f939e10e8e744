package io.vxswitch.linux.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** {@code mmap}/{@code munmap}, for memory the kernel shares with vxswitch (a packet socket's receive ring, an io_uring's queues). */
public final class Mmap {
    private static final MethodHandle MMAP = Linking.errnoCall("mmap",
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = Linking.errnoCall("munmap",
        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));

    private Mmap() {
    }

    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_POPULATE = 0x8000;
    /** {@code MAP_PRIVATE | MAP_ANONYMOUS}: zeroed memory of this process's own, page-aligned (fd -1). */
    public static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;

    /**
     * {@code mmap(NULL, length, prot, flags, fd, 0)}.
     *
     * @return the mapping's address, or {@code -errno} ({@code MAP_FAILED} is -1, and no valid address is negative
     *     on Linux, whose user space is the lower half, so the usual test holds)
     */
    public static long mmap(long length, int prot, int flags, int fd) {
        return mmap(length, prot, flags, fd, 0L);
    }

    /** {@code mmap(NULL, length, prot, flags, fd, offset)}: as above, at {@code offset} of what {@code fd} maps. */
    public static long mmap(long length, int prot, int flags, int fd, long offset) {
        MemorySegment st = Linking.allocateCallState(Arena.ofAuto());
        try {
            long r = (long) MMAP.invokeExact(st, 0L, length, prot, flags, fd, offset);
            return r >= 0 ? r : -Linking.errnoOf(st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }

    public static int munmap(long address, long length) {
        MemorySegment st = Linking.allocateCallState(Arena.ofAuto());
        try {
            int r = (int) MUNMAP.invokeExact(st, address, length);
            return r >= 0 ? r : -Linking.errnoOf(st);
        } catch (Throwable t) {
            throw Linking.unexpected(t);
        }
    }
}
