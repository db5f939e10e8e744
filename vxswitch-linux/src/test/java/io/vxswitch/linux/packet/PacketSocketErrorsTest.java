package io.vxswitch.linux.packet;

import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.Errno;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacketSocketErrorsTest {

    @Test
    void a_missing_interface_is_named_with_where_to_look() {
        assertThatThrownBy(() -> PacketSocket.open("vxst-missing0"))
            .isInstanceOfSatisfying(LinuxException.class, e -> {
                assertThat(e.errno()).isEqualTo(Errno.ENODEV);
                assertThat(e.syscall()).isEqualTo("if_nametoindex");
            })
            .hasMessage("cannot use interface 'vxst-missing0': no interface 'vxst-missing0' (see ip link)"
                + " [if_nametoindex: ENODEV, No such device]");
    }

    @Test
    void an_invalid_name_is_refused_before_any_call() {
        assertThatThrownBy(() -> PacketSocket.open("eth0:1")).isInstanceOf(IllegalArgumentException.class);
    }
}
