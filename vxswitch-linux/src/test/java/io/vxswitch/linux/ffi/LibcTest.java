package io.vxswitch.linux.ffi;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

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
    void errno_names_and_texts_come_from_the_same_number() {
        assertThat(Errno.name(Errno.EBUSY)).isEqualTo("EBUSY");
        assertThat(Errno.name(4242)).isEqualTo("errno 4242");
        assertThat(Errno.describe(Errno.EADDRINUSE)).isEqualTo("EADDRINUSE (Address already in use)");
        assertThat(Libc.strerror(Errno.ENODEV)).isEqualTo("No such device");
    }
}
