package io.vxswitch.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4AddressTest {

    @Test
    void parses_dotted_quads_into_network_order_bits() {
        assertThat(Ipv4Address.parse("10.0.0.1")).isEqualTo(0x0A000001);
        assertThat(Ipv4Address.parse("255.255.255.255")).isEqualTo(0xFFFFFFFF);
        assertThat(Ipv4Address.parse("0.0.0.0")).isZero();
        assertThat(Ipv4Address.parse(" 192.168.1.20 ")).isEqualTo(Ipv4Address.of(192, 168, 1, 20));
    }

    @Test
    void formats_high_octets_as_unsigned() {
        assertThat(Ipv4Address.format(0xC0A80114)).isEqualTo("192.168.1.20");
        assertThat(Ipv4Address.format(0xFFFFFFFF)).isEqualTo("255.255.255.255");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0", "10.0.0.1.2", "10..0.1", "10.0.0.", ".10.0.0", "a.b.c.d", "10.0.0.1/24",
        "1000.0.0.1", "-1.0.0.0", "+1.0.0.0", "10.0.0.1x"})
    void rejects_malformed_text_with_the_expected_form(String text) {
        assertThatThrownBy(() -> Ipv4Address.parse(text))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("not an IPv4 address: '" + text + "' (expected 4 decimal octets like 10.0.0.1)");
    }

    @Test
    void names_an_octet_above_255() {
        assertThatThrownBy(() -> Ipv4Address.parse("10.0.0.256"))
            .hasMessageContaining("octet 256 is above 255");
    }

    @Test
    void refuses_leading_zeros_because_inet_aton_reads_them_as_octal() {
        assertThatThrownBy(() -> Ipv4Address.parse("10.0.0.010"))
            .hasMessageContaining("octet '010' has a leading zero");
    }

    @Test
    void a_missing_address_says_so() {
        assertThatThrownBy(() -> Ipv4Address.parse(null)).hasMessage("IPv4 address is missing");
    }

    @Test
    void classifies_multicast_and_limited_broadcast() {
        assertThat(Ipv4Address.isMulticast(Ipv4Address.parse("224.0.0.251"))).isTrue();
        assertThat(Ipv4Address.isMulticast(Ipv4Address.parse("239.255.255.255"))).isTrue();
        assertThat(Ipv4Address.isMulticast(Ipv4Address.parse("240.0.0.1"))).isFalse();
        assertThat(Ipv4Address.isLimitedBroadcast(Ipv4Address.parse("255.255.255.255"))).isTrue();
    }

    @Property
    void format_then_parse_is_identity(@ForAll int address) {
        assertThat(Ipv4Address.parse(Ipv4Address.format(address))).isEqualTo(address);
    }

    @Property
    void parse_then_format_is_identity(@ForAll @IntRange(max = 255) int a, @ForAll @IntRange(max = 255) int b,
                                       @ForAll @IntRange(max = 255) int c, @ForAll @IntRange(max = 255) int d) {
        String text = a + "." + b + "." + c + "." + d;
        assertThat(Ipv4Address.format(Ipv4Address.parse(text))).isEqualTo(text);
    }
}
