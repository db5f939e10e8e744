package io.vxswitch.linux.vhost;

import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.ffi.Mmap;
import io.vxswitch.linux.ffi.UnixCalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A guest's memory as a vhost-user front-end shares it ({@code VHOST_USER_SET_MEM_TABLE}, QEMU's
 * docs/interop/vhost-user.rst, "Memory access"): up to eight regions, each known by its guest physical address, its
 * size and the address the front-end maps it at (its "user address"), each mapped here from the file descriptor that
 * came with the message. Descriptors hold guest addresses; ring addresses ({@code SET_VRING_ADDR}) are user
 * addresses. Both are translated here, and only here.
 *
 * <p><b>Never a byte outside.</b> Every translation checks that the whole range lies inside one region, with unsigned
 * arithmetic (the guest writes 64-bit addresses and 32-bit lengths, any of them garbage); a range that crosses into
 * a neighbouring region is followed into it, as a guest whose memory is split at a boundary may place a buffer across
 * it. Each region is a {@link MemorySegment} of exactly its size, so even a bug here would end in an exception, not a
 * read of someone else's memory; and the segments die with {@link #close}, so a ring still pointing at unmapped memory
 * fails the same way instead of faulting.
 *
 * <p>A front-end could still shrink a region's file after it was mapped (a memfd without seals): an access to the
 * lost pages then raises SIGBUS, which HotSpot turns into an {@link InternalError} for memory-segment accesses
 * instead of ending the process. The port treats such an error as a broken guest.
 *
 * <p>Built by a control thread; read by the one forwarding agent that owns the port.
 */
public final class GuestMemory implements AutoCloseable {
    /** {@code VHOST_MEMORY_BASELINE_NREGIONS}: what a memory table holds without the CONFIGURE_MEM_SLOTS extension. */
    public static final int MAX_REGIONS = 8;

    private final long[] guestStart;
    private final long[] userStart;
    private final long[] size;
    private final MemorySegment[] mapping;
    private final int count;
    private final Arena arena;
    /** The region the last guest translation hit: buffers of one guest mostly live in one region. */
    private int last;

    private GuestMemory(long[] guestStart, long[] userStart, long[] size, MemorySegment[] mapping, Arena arena) {
        this.guestStart = guestStart;
        this.userStart = userStart;
        this.size = size;
        this.mapping = mapping;
        this.count = mapping.length;
        this.arena = arena;
    }

    /** One region as the front-end describes it. */
    public record Region(long guestAddress, long size, long userAddress, long mmapOffset) {
        @Override
        public String toString() {
            return String.format("guest 0x%x size 0x%x user 0x%x offset 0x%x", guestAddress, size, userAddress,
                mmapOffset);
        }
    }

    /**
     * Memory already in segments (tests, which lay out a guest's rings themselves): region {@code i} is
     * {@code segments[i]} at guest and user address {@code addresses[i]}. The segments stay the caller's.
     */
    public static GuestMemory of(long[] addresses, MemorySegment... segments) {
        if (addresses.length != segments.length || segments.length == 0 || segments.length > MAX_REGIONS) {
            throw new IllegalArgumentException("1 to " + MAX_REGIONS + " regions, one address each");
        }
        long[] sizes = new long[segments.length];
        for (int i = 0; i < segments.length; i++) {
            sizes[i] = segments[i].byteSize();
            checkRange(addresses[i], sizes[i]);
        }
        return new GuestMemory(addresses.clone(), addresses.clone(), sizes, segments.clone(), null);
    }

    /**
     * Maps each region from its descriptor ({@code MAP_SHARED}, read and write: the switch writes the guest's
     * receive buffers and used rings). The descriptors stay the caller's to close (a mapping outlives its descriptor).
     *
     * @throws VhostUserException if a region is malformed (empty, wrapping around the address space, beyond its file)
     * @throws LinuxException     if the kernel refuses a mapping
     */
    public static GuestMemory map(Region[] regions, int[] fds) {
        if (regions.length == 0 || regions.length > MAX_REGIONS || fds.length != regions.length) {
            throw new VhostUserException("a memory table of " + regions.length + " regions with " + fds.length
                + " descriptors (1 to " + MAX_REGIONS + " regions, one descriptor each)");
        }
        Arena arena = Arena.ofShared();
        try {
            int n = regions.length;
            long[] guest = new long[n];
            long[] user = new long[n];
            long[] sizes = new long[n];
            MemorySegment[] maps = new MemorySegment[n];
            for (int i = 0; i < n; i++) {
                Region r = regions[i];
                checkRange(r.guestAddress(), r.size());
                checkRange(r.userAddress(), r.size());
                guest[i] = r.guestAddress();
                user[i] = r.userAddress();
                sizes[i] = r.size();
                maps[i] = mapRegion(r, fds[i], arena);
            }
            return new GuestMemory(guest, user, sizes, maps, arena);
        } catch (RuntimeException e) {
            arena.close(); // unmaps what was mapped
            throw e;
        }
    }

    private static void checkRange(long start, long length) {
        if (length <= 0) { // a size of 2^63 or more is as absurd as 0
            throw new VhostUserException(String.format("a memory region at 0x%x of 0x%x bytes", start, length));
        }
        if (Long.compareUnsigned(start + length - 1, start) < 0) {
            throw new VhostUserException(String.format("a memory region at 0x%x of 0x%x bytes wraps around the"
                + " address space", start, length));
        }
    }

    @SuppressWarnings("restricted") // a segment over memory mmap returned, of exactly the mapped length
    private static MemorySegment mapRegion(Region r, int fd, Arena arena) {
        if (r.mmapOffset() < 0 || r.mmapOffset() + r.size() < 0) {
            throw new VhostUserException("region " + r + ": offset out of range");
        }
        int[] errno = new int[1];
        long[] stat = UnixCalls.sizeAndBlockSize(fd, errno);
        if (stat == null) {
            throw new LinuxException("cannot map guest memory region (" + r + ")", "fstat", errno[0], null);
        }
        long end = r.mmapOffset() + r.size();
        // An access past the end of the file would fault (SIGBUS): refuse a region the file does not hold.
        if (stat[0] < end) {
            throw new VhostUserException("region " + r + " ends at byte " + end + " of a file of " + stat[0]
                + " bytes");
        }
        long block = Math.max(4096, stat[1]); // a hugetlbfs file maps in whole huge pages
        long length = (end + block - 1) / block * block;
        long address = Mmap.mmap(length, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_SHARED, fd);
        if (address < 0) {
            int e = (int) -address;
            throw new LinuxException("cannot map guest memory region (" + r + ", " + length + " bytes)", "mmap", e,
                e == Errno.ENOMEM ? "not enough address space or memory for the guest's memory" : null);
        }
        MemorySegment whole = MemorySegment.ofAddress(address).reinterpret(length, arena,
            s -> Mmap.munmap(address, length));
        return whole.asSlice(r.mmapOffset(), r.size());
    }

    public int regions() {
        return count;
    }

    /**
     * The region holding guest address {@code address}, or -1. Data path: no allocation; the last region hit is
     * tried first.
     */
    int regionOfGuest(long address) {
        int r = last;
        if (Long.compareUnsigned(address - guestStart[r], size[r]) < 0) {
            return r;
        }
        for (int i = 0; i < count; i++) {
            if (Long.compareUnsigned(address - guestStart[i], size[i]) < 0) {
                last = i;
                return i;
            }
        }
        return -1;
    }

    /**
     * Copies {@code length} bytes of guest memory at guest address {@code address} to {@code dst[at]}. False, with
     * nothing promised about {@code dst}, if any byte of the range is outside the guest's memory.
     */
    boolean copyFromGuest(long address, long length, MemorySegment dst, long at) {
        long a = address;
        long left = length;
        long to = at;
        while (left > 0) {
            int r = regionOfGuest(a);
            if (r < 0) {
                return false;
            }
            long in = a - guestStart[r];
            long n = Math.min(left, size[r] - in);
            MemorySegment.copy(mapping[r], in, dst, to, n);
            a += n; // cannot wrap: the region does not
            to += n;
            left -= n;
        }
        return true;
    }

    /** Copies {@code length} bytes from {@code src[from]} into guest memory at {@code address}; false if outside. */
    boolean copyToGuest(MemorySegment src, long from, long address, long length) {
        long a = address;
        long left = length;
        long f = from;
        while (left > 0) {
            int r = regionOfGuest(a);
            if (r < 0) {
                return false;
            }
            long in = a - guestStart[r];
            long n = Math.min(left, size[r] - in);
            MemorySegment.copy(src, f, mapping[r], in, n);
            a += n;
            f += n;
            left -= n;
        }
        return true;
    }

    /** True if every byte of {@code [address, address + length)} is guest memory. */
    boolean containsGuest(long address, long length) {
        long a = address;
        long left = length;
        while (left > 0) {
            int r = regionOfGuest(a);
            if (r < 0) {
                return false;
            }
            long n = Math.min(left, size[r] - (a - guestStart[r]));
            a += n;
            left -= n;
        }
        return true;
    }

    /** Region {@code r}'s memory and where {@code address} (inside it) falls in it. */
    MemorySegment segment(int r) {
        return mapping[r];
    }

    long offsetOfGuest(int r, long address) {
        return address - guestStart[r];
    }

    long guestEnd(int r) {
        return guestStart[r] + size[r];
    }

    /**
     * The front-end's memory at user address {@code address}, {@code length} bytes, as one slice; null unless the
     * whole range is inside one region (a ring is never split: the front-end allocates it in one piece).
     */
    MemorySegment userSlice(long address, long length) {
        for (int i = 0; i < count; i++) {
            long in = address - userStart[i];
            if (Long.compareUnsigned(in, size[i]) < 0 && length <= size[i] - in) {
                return mapping[i].asSlice(in, length);
            }
        }
        return null;
    }

    /** Unmaps the regions (when mapped here): every segment over them, rings included, is dead from now on. */
    @Override
    public void close() {
        if (arena != null && arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format("0x%x+0x%x", guestStart[i], size[i]));
        }
        return sb.toString();
    }
}
