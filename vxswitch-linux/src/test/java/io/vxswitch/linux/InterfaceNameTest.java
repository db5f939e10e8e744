package io.vxswitch.linux;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InterfaceNameTest {

    @Test
    void names_up_to_15_bytes_pass() {
        assertThat(InterfaceName.validate("tap name", "vm1")).isEqualTo("vm1");
        assertThat(InterfaceName.validate("tap name", "a23456789012345")).hasSize(15);
        assertThat(InterfaceName.validate("tap name", "vx%d")).isEqualTo("vx%d");
    }

    @Test
    void a_16_byte_name_is_refused_with_the_limit() {
        assertThatThrownBy(() -> InterfaceName.validate("tap name", "a234567890123456"))
            .hasMessage("tap name 'a234567890123456' is 16 bytes long: Linux interface names have at most 15"
                + " (IFNAMSIZ)");
    }

    @Test
    void slashes_colons_spaces_and_dots_are_refused() {
        for (String bad : new String[] {"a/b", "eth0:1", "my tap", ".", "..", "tab\tx", "é"}) {
            assertThatThrownBy(() -> InterfaceName.validate("tap name", bad))
                .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> InterfaceName.validate("tap name", "")).hasMessage("tap name is missing");
    }
}
