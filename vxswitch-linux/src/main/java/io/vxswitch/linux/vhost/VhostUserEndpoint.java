package io.vxswitch.linux.vhost;

import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.ffi.Sockets;
import io.vxswitch.linux.ffi.UnixCalls;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.function.Consumer;

/**
 * The Unix socket of one vhost-user port and the control thread that serves it, one front-end connection at a time.
 *
 * <ul>
 * <li><b>server</b>: vxswitch creates the socket (at {@link #open}, so a path it cannot use fails the start) and
 *     waits for the front-end (QEMU with {@code server=off}, DPDK's virtio-user) to connect; after a disconnect it
 *     waits for the next one.</li>
 * <li><b>client</b>: the front-end owns the socket (QEMU with {@code server=on}, DPDK's virtio-user with
 *     {@code server=1}); vxswitch connects, and connects again whenever the connection drops or the socket is not
 *     there yet, once a second, as Open vSwitch's {@code dpdkvhostuserclient} ports do. A restarted vxswitch finds the
 *     guest where it was and the guest's driver carries on.</li>
 * </ul>
 * Each connection is a {@link VhostUserSession}; when it ends, its queues stop and everything it mapped is released.
 */
public final class VhostUserEndpoint implements AutoCloseable {
    /** Who creates the socket. */
    public enum Mode {
        SERVER, CLIENT;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final long RECONNECT_MILLIS = 1000;

    private final Path path;
    private final Mode mode;
    /** The group a server's socket is given (mode 0660), so that QEMU running as another user can connect; or null. */
    private final String group;
    private final VhostDevice device;
    private final Consumer<String> log;
    private int listenFd = -1;
    private volatile boolean closing;
    private volatile VhostUserChannel channel;
    private Thread thread;

    private VhostUserEndpoint(Path path, Mode mode, String group, VhostDevice device, Consumer<String> log) {
        this.path = path;
        this.mode = mode;
        this.group = group;
        this.device = device;
        this.log = log;
    }

    /**
     * The endpoint of {@code device} at {@code path}; a server's socket is created here. Nothing is served until
     * {@link #start}.
     *
     * @param log lines for the operator (a front-end connected or gone, a message refused); any thread
     * @throws LinuxException if a server cannot create its socket (the message says why)
     */
    public static VhostUserEndpoint open(Path path, Mode mode, VhostDevice device, Consumer<String> log) {
        return open(path, mode, null, device, log);
    }

    /**
     * As above; a server's socket is given to {@code group} with mode 0660 (read and write for its owner and that
     * group: connecting to a Unix socket needs write access). libvirt runs QEMU as its own user (libvirt-qemu in the
     * kvm group on Debian), which cannot connect to a socket root created with the usual umask.
     *
     * @param group a group name, or null to leave the socket as the umask makes it; for servers only
     */
    public static VhostUserEndpoint open(Path path, Mode mode, String group, VhostDevice device,
                                         Consumer<String> log) {
        if (group != null && mode != Mode.SERVER) {
            throw new IllegalArgumentException("a socket group is for server sockets: in client mode QEMU creates it");
        }
        VhostUserEndpoint e = new VhostUserEndpoint(path, mode, group, device, log);
        if (mode == Mode.SERVER) {
            e.listenFd = listen(path, group);
        }
        return e;
    }

    public Path path() {
        return path;
    }

    public Mode mode() {
        return mode;
    }

    /** The group of a server's socket, or null. */
    public String group() {
        return group;
    }

    /** Starts the control thread; commands for the data path go through {@code loop}. */
    public synchronized void start(LoopCommands loop, String threadName) {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(() -> serve(loop), threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private void serve(LoopCommands loop) {
        boolean waitingSaid = false;
        while (!closing) {
            int fd = mode == Mode.SERVER ? accept() : connect();
            if (fd < 0) {
                if (closing) {
                    return;
                }
                if (mode == Mode.CLIENT && !waitingSaid) {
                    log.accept("waiting for the front-end's socket " + path + " (connecting once a second)");
                    waitingSaid = true;
                }
                pause();
                continue;
            }
            waitingSaid = false;
            VhostUserChannel ch = new VhostUserChannel(fd);
            channel = ch;
            if (closing) { // close() may have missed the channel: it looked before it was set
                ch.close();
                return;
            }
            log.accept("vhost-user front-end connected on " + path + " (" + mode.label() + ")");
            String end = session(ch, loop);
            channel = null;
            ch.close();
            if (!closing) {
                log.accept("vhost-user front-end " + end + "; port down until it "
                    + (mode == Mode.SERVER ? "connects again" : "is back (connecting once a second)"));
            }
        }
    }

    /** Serves one connection until it ends; returns how it ended, for the log line. */
    private String session(VhostUserChannel ch, LoopCommands loop) {
        try (VhostUserSession session = new VhostUserSession(device, loop);
             VhostUserMessage m = new VhostUserMessage()) {
            try {
                while (ch.read(m)) {
                    if (!session.handle(m, ch)) {
                        return "went away";
                    }
                }
                return "disconnected";
            } catch (VhostUserException e) {
                return "refused: " + e.getMessage() + "; connection closed";
            } finally {
                VhostUserChannel.closeFds(m);
            }
        } catch (VhostUserException e) {
            return "disconnected (" + e.getMessage() + ")";
        }
    }

    /** A connection from the front-end, or -1 (closing, or a failure worth a pause). */
    private int accept() {
        while (!closing) {
            int fd = UnixCalls.accept4(listenFd, Sockets.SOCK_CLOEXEC);
            if (fd >= 0) {
                return fd;
            }
            if (fd != -Errno.EINTR && fd != -Errno.ECONNABORTED) {
                if (!closing) {
                    log.accept("cannot accept on " + path + ": " + Errno.name(-fd) + " " + Libc.strerror(-fd));
                }
                return -1;
            }
        }
        return -1;
    }

    /** A connection to the front-end's socket, or -1 (not there yet, refused). */
    private int connect() {
        int fd = UnixCalls.socketStream();
        if (fd < 0) {
            return -1;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment address = UnixCalls.sockaddr(a, path.toString());
            int r;
            do {
                r = UnixCalls.connect(fd, address, UnixCalls.SOCKADDR_UN_SIZE);
            } while (r == -Errno.EINTR);
            if (r < 0) {
                Libc.close(fd);
                return -1;
            }
            return fd;
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
        }
    }

    /**
     * A listening socket at {@code path}. A stale socket file (nobody listening: a vxswitch that was killed) is
     * replaced; a live one, or another kind of file, is refused.
     */
    private static int listen(Path path, String group) {
        String action = "cannot create the vhost-user socket " + path;
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw new LinuxException(action, "stat", Errno.EACCES, "cannot read it: " + e.getMessage());
            }
            if (!attrs.isOther()) {
                throw new LinuxException(action, "bind", Errno.EEXIST, "a file that is not a socket is there");
            }
            if (listening(path)) {
                throw new LinuxException(action, "bind", Errno.EADDRINUSE, "another process serves this socket"
                    + " (another vxswitch? see ss -xlp)");
            }
            try {
                Files.delete(path);
            } catch (IOException e) {
                throw new LinuxException(action, "unlink", Errno.EACCES, "cannot remove the stale socket: "
                    + e.getMessage());
            }
        }
        int fd = UnixCalls.socketStream();
        LinuxException.check(fd, action, "socket(AF_UNIX)");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment address;
            try {
                address = UnixCalls.sockaddr(a, path.toString());
            } catch (IllegalArgumentException e) {
                Libc.close(fd);
                throw new LinuxException(action, "bind", Errno.ENAMETOOLONG, e.getMessage());
            }
            int r = Libc.bind(fd, address, UnixCalls.SOCKADDR_UN_SIZE);
            if (r < 0) {
                Libc.close(fd);
                throw new LinuxException(action, "bind", -r, r == -Errno.ENOENT
                    ? "its folder " + path.getParent() + " does not exist" : null);
            }
            if (group != null) {
                try {
                    shareWith(path, group);
                } catch (LinuxException ex) {
                    Libc.close(fd);
                    try {
                        Files.deleteIfExists(path); // not left behind for a front-end to find dead
                    } catch (IOException ignored) {
                        // the error thrown says what failed first
                    }
                    throw ex;
                }
            }
            r = UnixCalls.listen(fd, 1);
            if (r < 0) {
                Libc.close(fd);
                throw new LinuxException(action, "listen", -r, null);
            }
            return fd;
        }
    }

    /**
     * Gives the socket at {@code path} to {@code group}, mode 0660; before listen(2), so no front-end connects to it
     * while it is still root's alone.
     */
    private static void shareWith(Path path, String group) {
        String action = "cannot give the vhost-user socket " + path + " to group " + group;
        GroupPrincipal principal;
        try {
            principal = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
        } catch (UserPrincipalNotFoundException e) {
            throw new LinuxException(action, "getgrnam", Errno.ENOENT, "there is no such group on this host (getent "
                + "group " + group + "); QEMU under libvirt runs in group kvm on Debian");
        } catch (IOException e) {
            throw new LinuxException(action, "getgrnam", Errno.EIO, e.getMessage());
        }
        try {
            // by path (chown(2), chmod(2)): with NOFOLLOW_LINKS the JDK opens the file first, which a socket refuses
            // (ENXIO); the path is the socket bind(2) has just made, not a link
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            view.setGroup(principal);
            view.setPermissions(PosixFilePermissions.fromString("rw-rw----"));
        } catch (IOException e) {
            throw new LinuxException(action, "chown", Errno.EPERM, e.getMessage());
        }
    }

    /** True if something accepts connections at {@code path}. */
    private static boolean listening(Path path) {
        int fd = UnixCalls.socketStream();
        if (fd < 0) {
            return false;
        }
        try (Arena a = Arena.ofConfined()) {
            return UnixCalls.connect(fd, UnixCalls.sockaddr(a, path.toString()), UnixCalls.SOCKADDR_UN_SIZE) == 0;
        } finally {
            Libc.close(fd);
        }
    }

    /**
     * Ends the control thread (its session closes: queues stopped, memory unmapped) and removes a server's socket.
     * Call after the data path has stopped, or while it still runs commands.
     */
    @Override
    public void close() {
        closing = true;
        VhostUserChannel ch = channel;
        if (ch != null) {
            ch.shutdown();
        }
        if (listenFd >= 0) {
            UnixCalls.shutdown(listenFd, UnixCalls.SHUT_RDWR); // wakes accept
        }
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (listenFd >= 0) {
            Libc.close(listenFd);
            listenFd = -1;
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // a socket file left behind is replaced at the next start
            }
        }
    }
}
