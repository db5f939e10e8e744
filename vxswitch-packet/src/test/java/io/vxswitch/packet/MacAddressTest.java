package io.vxswitch.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressTest {

    @Test
    void accepts_colon_dash_and_cisco_forms_in_any_case() {
        long expected = 0x005056AABB01L;
        assertThat(MacAddress.parseBits("00:50:56:aa:bb:01")).isEqualTo(expected);
        assertThat(MacAddress.parseBits("00-50-56-AA-BB-01")).isEqualTo(expected);
        assertThat(MacAddress.parseBits("0050.56aa.bb01")).isEqualTo(expected);
        assertThat(MacAddress.parse(" 00:50:56:Aa:bB:01 ").bits()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00:50:56:aa:bb", "00:50:56:aa:bb:01:02", "00:50-56:aa:bb:01", "00:50:56:aa:bb:0g",
        "0050.56aa.bb0", "005056aabb01", "00:50:56:aa:bb:+1"})
    void rejects_malformed_text_and_shows_the_accepted_form(String text) {
        assertThatThrownBy(() -> MacAddress.parse(text))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("not a MAC address: '" + text + "' (expected 6 hex octets like 00:50:56:aa:bb:01)");
    }

    @Test
    void a_missing_mac_says_so() {
        assertThatThrownBy(() -> MacAddress.parseBits(null)).hasMessage("MAC address is missing");
    }

    @Test
    void more_than_48_bits_is_refused() {
        assertThatThrownBy(() -> MacAddress.of(1L << 48)).hasMessageContaining("more than 48 bits");
    }

    @Test
    void the_ig_bit_of_the_first_octet_marks_group_addresses() {
        assertThat(MacAddress.isMulticast(MacAddress.parseBits("01:00:5e:00:00:fb"))).isTrue();
        assertThat(MacAddress.isMulticast(MacAddress.BROADCAST)).isTrue();
        assertThat(MacAddress.isBroadcast(MacAddress.BROADCAST)).isTrue();
        assertThat(MacAddress.isUnicast(MacAddress.parseBits("00:50:56:00:00:01"))).isTrue();
        assertThat(MacAddress.isLocallyAdministered(MacAddress.parseBits("02:00:00:00:00:01"))).isTrue();
    }

    @Test
    void formats_lower_case_with_leading_zeros() {
        assertThat(MacAddress.format(0x0A0B0C0D0E0FL)).isEqualTo("0a:0b:0c:0d:0e:0f");
        assertThat(MacAddress.of(MacAddress.BROADCAST)).hasToString("ff:ff:ff:ff:ff:ff");
    }

    @Property
    void format_then_parse_is_identity_for_every_48_bit_value(@ForAll @LongRange(max = MacAddress.MASK) long bits) {
        assertThat(MacAddress.parseBits(MacAddress.format(bits))).isEqualTo(bits);
    }
}
