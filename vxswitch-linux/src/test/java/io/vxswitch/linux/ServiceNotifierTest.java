package io.vxswitch.linux;

import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.ffi.Sockets;
import io.vxswitch.linux.ffi.UnixCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** systemd's side played by a Unix datagram socket of the test's own, bound where NOTIFY_SOCKET points. */
class ServiceNotifierTest {
    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    /** A bound, non-blocking Unix datagram socket: systemd's notification socket. */
    private static final class Listener implements AutoCloseable {
        final int fd;

        Listener(String notifySocket) {
            fd = Libc.socket(UnixCalls.AF_UNIX, UnixCalls.SOCK_DGRAM | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC,
                0);
            assertThat(fd).isNotNegative();
            try (Arena a = Arena.ofConfined()) {
                MemorySegment address = notifySocket.startsWith("@")
                    ? UnixCalls.abstractSockaddr(a, notifySocket.substring(1)) : UnixCalls.sockaddr(a, notifySocket);
                assertThat(Libc.bind(fd, address, (int) address.byteSize())).as("bind " + notifySocket).isZero();
            }
        }

        /** The next datagram, or null if none is waiting. */
        String next() {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(4096);
                long n = Libc.readNoErrno(fd, buf, buf.byteSize());
                return n < 0 ? null : new String(buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            Libc.close(fd);
        }
    }

    @Test
    void ready_and_stopping_reach_a_socket_at_a_path_one_datagram_each() {
        String path = dir.resolve("notify").toString();
        try (Listener systemd = new Listener(path)) {
            ServiceNotifier n = ServiceNotifier.of(path, log::add);
            assertThat(n.active()).isTrue();
            n.ready("switch esxi-a: 3 ports, API on 127.0.0.1:7739");
            n.stopping("stopping: removing devices");
            assertThat(systemd.next()).isEqualTo("READY=1\nSTATUS=switch esxi-a: 3 ports, API on 127.0.0.1:7739");
            assertThat(systemd.next()).isEqualTo("STOPPING=1\nSTATUS=stopping: removing devices");
            assertThat(systemd.next()).isNull();
        }
        assertThat(log).isEmpty();
    }

    @Test
    void an_at_sign_names_an_abstract_socket() {
        String name = "@vxswitch-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        try (Listener systemd = new Listener(name)) {
            ServiceNotifier.of(name, log::add).ready("up");
            assertThat(systemd.next()).isEqualTo("READY=1\nSTATUS=up");
        }
        assertThat(log).isEmpty();
    }

    @Test
    void a_newline_in_a_status_cannot_start_a_variable_of_its_own() {
        String path = dir.resolve("notify").toString();
        try (Listener systemd = new Listener(path)) {
            ServiceNotifier.of(path, log::add).status("two\nREADY=1");
            assertThat(systemd.next()).isEqualTo("STATUS=two READY=1");
        }
    }

    @Test
    void without_notify_socket_nothing_is_sent_and_nothing_said() {
        for (String unset : new String[] {null, ""}) {
            ServiceNotifier n = ServiceNotifier.of(unset, log::add);
            assertThat(n.active()).isFalse();
            n.ready("up");
            n.stopping("down");
            assertThat(n.send("READY=1")).isFalse();
        }
        assertThat(log).isEmpty();
    }

    @Test
    void a_value_that_is_no_unix_socket_address_is_named_and_nothing_is_sent() {
        assertThat(ServiceNotifier.of("run/notify", log::add).active()).isFalse();
        assertThat(ServiceNotifier.of("vsock:2:1234", log::add).active()).isFalse();
        assertThat(ServiceNotifier.of("@", log::add).active()).isFalse();
        assertThat(ServiceNotifier.of("/" + "x".repeat(107), log::add).active()).isFalse();
        assertThat(log).containsExactly(
            "warning: cannot notify systemd: NOTIFY_SOCKET='run/notify': it is neither an absolute path nor an"
                + " @abstract name (vsock addresses are not supported); systemd will not hear that vxswitch is ready"
                + " (a Type=notify unit then times out)",
            "warning: cannot notify systemd: NOTIFY_SOCKET='vsock:2:1234': it is neither an absolute path nor an"
                + " @abstract name (vsock addresses are not supported); systemd will not hear that vxswitch is ready"
                + " (a Type=notify unit then times out)",
            "warning: cannot notify systemd: NOTIFY_SOCKET='@': an abstract socket name after '@' is empty; systemd"
                + " will not hear that vxswitch is ready (a Type=notify unit then times out)",
            "warning: cannot notify systemd: NOTIFY_SOCKET='/" + "x".repeat(107) + "': a socket path has 108 bytes,"
                + " a Unix socket address at most 107; systemd will not hear that vxswitch is ready (a Type=notify"
                + " unit then times out)");
    }

    @Test
    void a_socket_that_is_not_there_is_reported_once_and_the_daemon_goes_on() {
        String path = dir.resolve("gone").toString();
        ServiceNotifier n = ServiceNotifier.of(path, log::add);
        assertThat(n.send("READY=1")).isFalse();
        n.stopping("stopping");
        assertThat(log).containsExactly("warning: cannot notify systemd on NOTIFY_SOCKET=" + path + ": no socket there"
            + " (a NOTIFY_SOCKET inherited from another service's environment?) [sendto: ENOENT, No such file or"
            + " directory] (said once)");
    }

    @Test
    void a_socket_nobody_reads_any_more_is_refused() {
        String path = dir.resolve("closed").toString();
        new Listener(path).close(); // the file stays, the socket behind it is gone
        assertThat(ServiceNotifier.of(path, log::add).send("READY=1")).isFalse();
        assertThat(log).singleElement().asString().contains("nothing listens on it any more [sendto: ECONNREFUSED");
    }
}
