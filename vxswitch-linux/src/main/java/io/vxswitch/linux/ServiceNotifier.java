package io.vxswitch.linux;

import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.ffi.UnixCalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Tells systemd what the daemon is doing, by the protocol of sd_notify(3): each change is one datagram of
 * newline-separated {@code VARIABLE=value} lines ({@code READY=1}, {@code STOPPING=1}, {@code STATUS=text}) sent to
 * the AF_UNIX datagram socket that systemd names in {@code $NOTIFY_SOCKET} when it starts a {@code Type=notify} unit:
 * a path, or an abstract name written with a leading {@code @}. Without the variable (a shell, a test, any other unit
 * type) nothing is sent.
 *
 * <p>Java's Unix domain sockets ({@code UnixDomainSocketAddress}) come as stream channels only, so the datagram goes
 * through libc. A notification that cannot be sent does not stop the daemon: systemd then gives up on the start after
 * its timeout and says so, and the line logged here (once) says why the message did not arrive.
 *
 * <p>systemd believes only the unit's main process ({@code NotifyAccess=main}): the JVM must be that process, so a
 * launcher script has to {@code exec} it. Any thread may send (the credentials carry the process id).
 */
public final class ServiceNotifier {
    /** The variable systemd sets for a {@code Type=notify} service. */
    public static final String VARIABLE = "NOTIFY_SOCKET";

    private static final ServiceNotifier NONE = new ServiceNotifier(null, null, false, line -> { });

    private final String target;
    private final String name;
    private final boolean abstractName;
    private final Consumer<String> log;
    private boolean failureLogged;

    private ServiceNotifier(String target, String name, boolean abstractName, Consumer<String> log) {
        this.target = target;
        this.name = name;
        this.abstractName = abstractName;
        this.log = log;
    }

    /** The notifier {@code $NOTIFY_SOCKET} asks for; one that sends nothing when it is not set. */
    public static ServiceNotifier fromEnvironment(Consumer<String> log) {
        return of(System.getenv(VARIABLE), log);
    }

    /**
     * The notifier for a {@code $NOTIFY_SOCKET} value: an absolute path or {@code @name}. {@code null} or empty:
     * one that sends nothing. Anything else is logged (why, and that systemd will not hear the daemon is ready) and
     * gives one that sends nothing.
     *
     * @param log where a notification that cannot be sent is reported, once
     */
    public static ServiceNotifier of(String notifySocket, Consumer<String> log) {
        if (notifySocket == null || notifySocket.isEmpty()) {
            return NONE;
        }
        String problem;
        if (notifySocket.startsWith("@")) {
            String name = notifySocket.substring(1);
            problem = tooLong(name, "an abstract socket name after '@'");
            if (problem == null) {
                return new ServiceNotifier(notifySocket, name, true, log);
            }
        } else if (notifySocket.startsWith("/")) {
            problem = tooLong(notifySocket, "a socket path");
            if (problem == null) {
                return new ServiceNotifier(notifySocket, notifySocket, false, log);
            }
        } else {
            // systemd 253 also hands out vsock:CID:PORT (a VM's host); a service on a host never gets one
            problem = "it is neither an absolute path nor an @abstract name (vsock addresses are not supported)";
        }
        log.accept("warning: cannot notify systemd: " + VARIABLE + "='" + notifySocket + "': " + problem
            + "; systemd will not hear that vxswitch is ready (a Type=notify unit then times out)");
        return NONE;
    }

    private static String tooLong(String text, String what) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0) {
            return what + " is empty";
        }
        return bytes > UnixCalls.MAX_PATH
            ? what + " has " + bytes + " bytes, a Unix socket address at most " + UnixCalls.MAX_PATH : null;
    }

    /** False when nothing is sent (no {@code $NOTIFY_SOCKET}, or an unusable one). */
    public boolean active() {
        return name != null;
    }

    /** {@code READY=1}: every port is open and the API answers; {@code status} is what systemctl status shows. */
    public void ready(String status) {
        send("READY=1\nSTATUS=" + oneLine(status));
    }

    /** {@code STOPPING=1}: the shutdown has begun (systemd then waits for the process to exit). */
    public void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + oneLine(status));
    }

    /** {@code STATUS=}: a new line for systemctl status, the state unchanged. */
    public void status(String status) {
        send("STATUS=" + oneLine(status));
    }

    /** A value ends at a newline in the protocol: one inside would start a variable of its own. */
    private static String oneLine(String text) {
        return text.replace('\n', ' ');
    }

    /** Sends {@code state} as one datagram; true if the socket took it. */
    synchronized boolean send(String state) {
        if (name == null) {
            return false;
        }
        int fd = UnixCalls.socketDatagram();
        if (fd < 0) {
            failed("socket(AF_UNIX, SOCK_DGRAM)", -fd);
            return false;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment address = address(a);
            byte[] bytes = state.getBytes(StandardCharsets.UTF_8);
            MemorySegment buf = a.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, buf, ValueLayout.JAVA_BYTE, 0, bytes.length);
            long r = UnixCalls.sendto(fd, buf, UnixCalls.MSG_NOSIGNAL, address, (int) address.byteSize());
            if (r < 0) {
                failed("sendto", (int) -r);
                return false;
            }
            return true;
        } finally {
            Libc.close(fd);
        }
    }

    /** The socket's address: a path's {@code sockaddr_un} whole, an abstract name's cut to its length. */
    MemorySegment address(Arena arena) {
        return abstractName ? UnixCalls.abstractSockaddr(arena, name) : UnixCalls.sockaddr(arena, name);
    }

    private void failed(String syscall, int errno) {
        if (!failureLogged) {
            failureLogged = true;
            log.accept("warning: " + new LinuxException("cannot notify systemd on " + VARIABLE + "=" + target,
                syscall, errno, ErrorHints.notifySocket(errno)).getMessage() + " (said once)");
        }
    }

    @Override
    public String toString() {
        return name == null ? "no " + VARIABLE : VARIABLE + "=" + target;
    }
}
