package io.vxswitch.linux.tap;

import io.vxswitch.linux.ErrorHints;
import io.vxswitch.linux.InterfaceControl;
import io.vxswitch.linux.InterfaceName;
import io.vxswitch.linux.IoCounter;
import io.vxswitch.linux.IoCounters;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.DataPathCalls;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.ffi.IfReq;
import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.ffi.NativeBuffers;
import io.vxswitch.linux.ffi.Sockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.concurrent.locks.LockSupport;

/**
 * A TAP device owned by vxswitch: one end is a Linux network interface (a VM's vNIC as the host sees it, or
 * a port into a namespace), the other is this file descriptor, which reads the frames the interface
 * transmits and writes the frames it receives.
 *
 * <p>Created with {@code IFF_TAP | IFF_NO_PI}, non-blocking, and set up. The device is not persistent: it
 * disappears when {@link #close()} closes the last descriptor, wherever it is by then; the user may move it
 * to another network namespace ({@code ip link set NAME netns NS}) and it keeps working through this
 * descriptor. (Attaching to a persistent tap made with {@code ip tuntap add} also works; that one stays.)
 *
 * <p>A tap created with {@link TapOptions#multiQueue} can have more queues ({@link #openQueue}), each a
 * descriptor (and a {@code TapDevice}) of its own for its own poll loop. The kernel puts each frame the interface
 * transmits on one queue, chosen by its flow's hash, so one flow stays on one queue and in order; a frame written
 * to any queue is received by the interface. The device goes when the last queue closes.
 *
 * <h2>Read and write contract</h2>
 * {@link #read} returns the frame length ({@code > 0}), {@code 0} when no frame is waiting, or {@code -errno}
 * when the kernel refused (the frame, if any, is lost; counted in {@link #counters()}). {@link #write}
 * returns the length written, {@code 0} when the kernel would block (frame not sent, counted), or
 * {@code -errno}. Neither allocates or throws, except {@link IllegalStateException} after close.
 * One thread at a time per device.
 */
public final class TapDevice implements AutoCloseable {
    static final long TUNSETIFF = 0x400454caL;
    /** How long attaching waits for a busy tap name to be let go of, before it says the name is in use. */
    private static final long BUSY_WAIT_NANOS = 1_000_000_000L;
    /** {@code _IOW('T', 208, unsigned int)}: the flags are passed by value. */
    static final long TUNSETOFFLOAD = 0x400454d0L;
    static final short IFF_TAP = 0x0002;
    static final short IFF_NO_PI = 0x1000;
    static final short IFF_VNET_HDR = 0x4000;
    static final short IFF_MULTI_QUEUE = 0x0100;
    /** {@code sizeof(struct virtio_net_hdr)}: the kernel's default prefix with {@code IFF_VNET_HDR}. */
    public static final int VNET_HEADER_LENGTH = 10;

    private final String name;
    private final TapOptions options;
    private final IoCounters counters = new IoCounters();
    private final Arena arena = Arena.ofShared();
    private final DataPathCalls calls = new DataPathCalls(arena);
    private int fd;

    private TapDevice(String name, int fd, TapOptions options) {
        this.name = name;
        this.fd = fd;
        this.options = options;
    }

    /** A tap named {@code name} with default options. */
    public static TapDevice create(String name) {
        return create(name, TapOptions.defaults());
    }

    /**
     * Creates (or attaches to) tap {@code name} in the calling thread's network namespace, applies the MTU
     * and MAC of {@code options} and sets it up. A name with {@code %d}, e.g. {@code vx%d}, lets the kernel
     * number it; {@link #name()} tells the result.
     *
     * @throws LinuxException           with advice (privileges, missing /dev/net/tun, name in use)
     * @throws IllegalArgumentException if {@code name} is not a valid interface name
     */
    public static TapDevice create(String name, TapOptions asked) {
        InterfaceName.validate("tap name", name);
        TapDevice tap = attach(name, asked, "cannot create tap '" + name + "'");
        TapOptions options = tap.options;
        try {
            if (options.mtu() != TapOptions.KEEP_MTU) {
                InterfaceControl.setMtu(tap.name, options.mtu());
            }
            if (options.mac() != TapOptions.KEEP_MAC) {
                InterfaceControl.setMacAddress(tap.name, options.mac());
            }
            InterfaceControl.setUp(tap.name);
        } catch (RuntimeException e) {
            tap.close();
            throw e;
        }
        return tap;
    }

    /**
     * Opens one more queue of this tap, with the same options; the interface's settings are left as they are.
     *
     * @throws IllegalStateException if the tap was not created with {@link TapOptions#multiQueue}, or has left this
     *                               network namespace
     * @throws LinuxException        if the kernel refuses (EINVAL past its queue limit, 256 on current kernels)
     */
    public TapDevice openQueue() {
        if (!options.multiQueue()) {
            throw new IllegalStateException("tap '" + name + "' has one queue: create it with multiQueue to add more");
        }
        openFd();
        // Queues are found by name in this thread's namespace: once the tap has moved to another one, the same
        // name here would create a second, unrelated tap.
        if (!InterfaceControl.exists(name)) {
            throw new IllegalStateException("tap '" + name + "' is no longer in this network namespace: open its"
                + " queues before moving it");
        }
        return attach(name, options, "cannot open another queue of tap '" + name + "'");
    }

    /** Opens /dev/net/tun and binds it to tap {@code name}, creating the device if it does not exist. */
    private static TapDevice attach(String name, TapOptions asked, String action) {
        TapOptions options = asked;
        int fd;
        String actual;
        try (Arena arena = Arena.ofConfined()) {
            fd = Libc.open(arena.allocateFrom("/dev/net/tun"), Sockets.O_RDWR | Sockets.O_NONBLOCK
                | Sockets.O_CLOEXEC);
            if (fd < 0) {
                throw new LinuxException(action, "open(/dev/net/tun)", -fd, ErrorHints.openTun(-fd));
            }
            MemorySegment ifr = arena.allocate(IfReq.LAYOUT);
            int r = setIff(fd, ifr, name, options);
            long deadline = System.nanoTime() + BUSY_WAIT_NANOS;
            while (r == -Errno.EBUSY && System.nanoTime() - deadline < 0) {
                // the tap's name is held by a tap still attached elsewhere: a tap read through io_uring is let go of
                // once the kernel has cancelled the ring's read, some milliseconds after a port's removal at times,
                // or after its process exited or was killed
                LockSupport.parkNanos(10_000_000L);
                r = setIff(fd, ifr, name, options);
            }
            if (r < 0) {
                Libc.close(fd);
                throw new LinuxException(action, "ioctl(TUNSETIFF)", -r, ErrorHints.tunSetIff(name, -r));
            }
            actual = IfReq.name(ifr);
            if (options.offloads() != 0) {
                r = Libc.ioctl(fd, TUNSETOFFLOAD, options.offloads());
                if (r == -Errno.EINVAL && (options.offloads() & TapOptions.USO) != 0) {
                    // USO came with Linux 6.2; older kernels refuse the flags they do not know
                    options = options.withOffloads(options.offloads() & ~TapOptions.USO);
                    r = Libc.ioctl(fd, TUNSETOFFLOAD, options.offloads());
                }
                if (r < 0) {
                    Libc.close(fd);
                    throw new LinuxException(action, "ioctl(TUNSETOFFLOAD)", -r,
                        "the kernel refused checksum/TSO offload on the tap: set 'offload: false' on the port");
                }
            }
        }
        return new TapDevice(actual, fd, options);
    }

    static short flags(TapOptions options) {
        int flags = IFF_TAP | IFF_NO_PI;
        if (options.vnetHeader()) {
            flags |= IFF_VNET_HDR;
        }
        if (options.multiQueue()) {
            flags |= IFF_MULTI_QUEUE;
        }
        return (short) flags;
    }

    /** The interface name, as the kernel has it. */
    public String name() {
        return name;
    }

    public TapOptions options() {
        return options;
    }

    /** The descriptor, to register with an {@code Epoll}; {@code -1} after close. */
    public int fd() {
        return fd;
    }

    public IoCounters counters() {
        return counters;
    }

    /**
     * Reads one frame the interface transmitted into {@code buffer[offset, offset + max)}. Give room for the
     * largest frame and one byte more (MTU + 14 + 4 + 1, plus {@link #VNET_HEADER_LENGTH} with a vnet
     * header): Linux cuts a longer frame to {@code max} bytes without any error, so a result equal to
     * {@code max} means the frame may have been cut. While the interface is down nothing arrives.
     *
     * @return the frame length; {@code 0} if none is waiting; {@code -errno} on failure
     */
    public int read(MemorySegment buffer, long offset, int max) {
        long r = calls.read(openFd(), NativeBuffers.address(buffer, offset, max), max);
        Reference.reachabilityFence(buffer);
        if (r > 0) {
            counters.increment(IoCounter.RX_FRAMES);
            counters.add(IoCounter.RX_BYTES, r);
            return (int) r;
        }
        if (r == 0 || r == -Errno.EAGAIN || r == -Errno.EINTR) {
            return 0;
        }
        counters.increment(IoCounter.RX_ERRORS);
        return (int) r;
    }

    /**
     * Hands one frame to the interface, as if it arrived on its wire.
     *
     * @return {@code length}; {@code 0} if the kernel would block; {@code -errno} if it refused the frame
     *     (EIO while the interface is down, EINVAL for a frame shorter than an Ethernet header)
     */
    public int write(MemorySegment buffer, long offset, int length) {
        long r = calls.write(openFd(), NativeBuffers.address(buffer, offset, length), length);
        Reference.reachabilityFence(buffer);
        return counters.countSend(r);
    }

    private int openFd() {
        int f = fd;
        if (f < 0) {
            throw new IllegalStateException("tap '" + name + "' is closed");
        }
        return f;
    }

    /** {@code TUNSETIFF}: attaches {@code fd} to tap {@code name}, made if there is none; -errno if refused. */
    private static int setIff(int fd, MemorySegment ifr, String name, TapOptions options) {
        IfReq.reset(ifr, name);
        IfReq.flags(ifr, flags(options));
        return Libc.ioctl(fd, TUNSETIFF, ifr);
    }

    /** Closes the descriptor; the kernel removes the device (unless it is persistent). Idempotent. */
    @Override
    public void close() {
        int f = fd;
        if (f >= 0) {
            fd = -1;
            Libc.close(f);
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "tap " + name + (fd < 0 ? " (closed)" : " fd " + fd);
    }
}
