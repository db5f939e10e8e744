package io.vxswitch.linux.udp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpAddressTest {

    @Test
    void an_ipv4_address_is_kept_ipv4_mapped_and_printed_dotted() {
        IpAddress a = IpAddress.parse("192.0.2.1");
        assertThat(a).isEqualTo(new IpAddress(0, 0x0000_FFFF_C000_0201L)).isEqualTo(IpAddress.ipv4(0xC0000201));
        assertThat(a.isIpv4()).isTrue();
        assertThat(a).hasToString("192.0.2.1");
        assertThat(IpAddress.parse("::ffff:192.0.2.1")).as("written mapped").isEqualTo(a);
    }

    @Test
    void an_ipv6_address_is_two_big_endian_halves_printed_per_rfc_5952() {
        IpAddress a = IpAddress.parse("2001:DB8:0:0:0:0:0:1");
        assertThat(a).isEqualTo(new IpAddress(0x2001_0db8_0000_0000L, 1L));
        assertThat(a.isIpv4()).isFalse();
        assertThat(a).hasToString("2001:db8::1");
    }

    @Test
    void text_that_is_not_an_address_is_refused_with_the_forms_accepted() {
        assertThatThrownBy(() -> IpAddress.parse(" ")).hasMessageContaining("192.0.2.1 or 2001:db8::1");
        assertThatThrownBy(() -> IpAddress.parse("2001:db8::g")).hasMessageContaining("not an IPv6 address");
        assertThatThrownBy(() -> IpAddress.parse("vtep.example")).isInstanceOf(IllegalArgumentException.class);
    }
}
