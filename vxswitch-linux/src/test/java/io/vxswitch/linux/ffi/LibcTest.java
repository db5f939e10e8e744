package io.vxswitch.linux.ffi;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

/** The bindings themselves, on files every Linux has. */
class LibcTest {

    @Test
    void a_failed_call_returns_minus_errno() {
        assertThat(Libc.close(-1)).isEqualTo(-Errno.EBADF);
        try (Arena arena = Arena.ofConfined()) {
            assertThat(Libc.open(arena.allocateFrom("/nonexistent/vxswitch"), Sockets.O_RDWR)).isEqualTo(-Errno.ENOENT);
            assertThat(Libc.ifNameToIndex(arena.allocateFrom("vxst-none"))).isEqualTo(-Errno.ENODEV);
            assertThat(Libc.ifNameToIndex(arena.allocateFrom("lo"))).isPositive();
        }
    }

    @Test
    void readv_and_writev_move_several_buffers_in_one_call() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(100).fill((byte) 1);
            MemorySegment b = arena.allocate(50).fill((byte) 1);
            MemorySegment iov = arena.allocate(Iovec.LAYOUT, 2);
            Iovec.base(iov, 0, a);
            Iovec.length(iov, 0, a.byteSize());
            Iovec.base(iov, Iovec.SIZE, b);
            Iovec.length(iov, Iovec.SIZE, b.byteSize());
            int zero = Libc.open(arena.allocateFrom("/dev/zero"), Sockets.O_RDWR | Sockets.O_CLOEXEC);
            int devNull = Libc.open(arena.allocateFrom("/dev/null"), Sockets.O_RDWR | Sockets.O_CLOEXEC);
            try {
                assertThat(Libc.readv(zero, iov, 2)).isEqualTo(150);
                assertThat(a.get(ValueLayout.JAVA_BYTE, 99)).isZero();
                assertThat(b.get(ValueLayout.JAVA_BYTE, 49)).isZero();
                assertThat(Libc.writev(devNull, iov, 2)).isEqualTo(150);
            } finally {
                Libc.close(zero);
                Libc.close(devNull);
            }
        }
    }

    @Test
    void poll_sees_an_eventfd_become_readable() {
        try (Arena arena = Arena.ofConfined()) {
            int fd = Libc.eventfd(0, Sockets.O_NONBLOCK | Sockets.O_CLOEXEC);
            assertThat(fd).isNotNegative();
            try {
                MemorySegment pfd = arena.allocate(PollFd.LAYOUT);
                PollFd.write(pfd, 0, fd, PollFd.POLLIN);
                assertThat(Libc.poll(pfd, 1, 0)).isZero();
                assertThat(Libc.write(fd, arena.allocateFrom(ValueLayout.JAVA_LONG, 1L), 8)).isEqualTo(8);
                PollFd.write(pfd, 0, fd, PollFd.POLLIN);
                assertThat(Libc.poll(pfd, 1, 1000)).isEqualTo(1);
                assertThat(PollFd.returnedEvents(pfd, 0) & PollFd.POLLIN).isNotZero();
            } finally {
                Libc.close(fd);
            }
        }
    }

    @Test
    void errno_names_and_texts_come_from_the_same_number() {
        assertThat(Errno.name(Errno.EBUSY)).isEqualTo("EBUSY");
        assertThat(Errno.name(4242)).isEqualTo("errno 4242");
        assertThat(Errno.describe(Errno.EADDRINUSE)).isEqualTo("EADDRINUSE (Address already in use)");
        assertThat(Libc.strerror(Errno.ENODEV)).isEqualTo("No such device");
    }
}
