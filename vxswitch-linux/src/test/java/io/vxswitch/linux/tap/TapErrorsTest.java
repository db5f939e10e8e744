package io.vxswitch.linux.tap;

import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.Netns;
import io.vxswitch.linux.ffi.Errno;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TapErrorsTest {

    @Test
    void a_name_longer_than_15_bytes_is_refused_before_any_call() {
        assertThatThrownBy(() -> TapDevice.create("vxst-much-too-long"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("tap name 'vxst-much-too-long' is 18 bytes long: Linux interface names have at most 15"
                + " (IFNAMSIZ)");
    }

    @Test
    void options_out_of_range_are_refused() {
        assertThatThrownBy(() -> TapOptions.defaults().withMtu(20)).hasMessageContaining("68-65535");
        assertThatThrownBy(() -> TapOptions.defaults().withMac(0x0100_0000_0001L)).hasMessageContaining("unicast");
    }

    @Test
    @Tag("netns")
    void a_second_tap_with_a_name_in_use_is_refused() {
        Netns.assumeTapAvailable();
        String name = Netns.linkName();
        try (TapDevice first = TapDevice.create(name)) {
            assertThat(first.name()).isEqualTo(name);
            assertThatThrownBy(() -> TapDevice.create(name))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBUSY))
                .hasMessage("cannot create tap '" + name + "': tap name '" + name + "' is in use by another"
                    + " process (waited 1 s for it to let go; see ip -d link show " + name + ")"
                    + " [ioctl(TUNSETIFF): EBUSY, Device or resource busy]");
        }
    }

    /** A switch started right after another was killed: the dead one's taps go some milliseconds after it. */
    @Test
    @Tag("netns")
    void a_tap_name_let_go_of_within_a_second_is_taken() throws Exception {
        Netns.assumeTapAvailable();
        String name = Netns.linkName();
        TapDevice first = TapDevice.create(name);
        Thread closer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            first.close();
        });
        try (TapDevice second = TapDevice.create(name)) {
            assertThat(second.name()).isEqualTo(name);
        } finally {
            closer.join();
        }
    }

    @Test
    @Tag("netns")
    void a_name_taken_by_another_kind_of_interface_is_refused() {
        Netns.assumeTapAvailable();
        assertThatThrownBy(() -> TapDevice.create("lo"))
            .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("EINVAL"))
            .hasMessageContaining("an interface 'lo' exists and is not a tap device with the same flags");
    }

    @Test
    @Tag("netns")
    void the_kernel_numbers_a_name_pattern() {
        Netns.assumeTapAvailable();
        try (TapDevice tap = TapDevice.create("vxst%d")) {
            assertThat(tap.name()).matches("vxst[0-9]+");
        }
    }

    @Test
    @Tag("netns")
    void multi_queue_taps_take_a_second_queue_under_the_same_name() {
        Netns.assumeTapAvailable();
        String name = Netns.linkName();
        TapOptions mq = TapOptions.defaults().withMultiQueue(true);
        try (TapDevice q0 = TapDevice.create(name, mq); TapDevice q1 = TapDevice.create(name, mq)) {
            assertThat(q1.name()).isEqualTo(q0.name());
            assertThat(q1.fd()).isNotEqualTo(q0.fd());
        }
    }
}
