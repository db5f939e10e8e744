package io.vxswitch.vxlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;

class VtepAddressTest {

    @Test
    void ipv4_is_kept_in_ipv4_mapped_form() {
        VtepAddress a = VtepAddress.parse("192.0.2.1");

        assertThat(a.isIpv4()).isTrue();
        assertThat(a.ipv4()).isEqualTo(0xC0000201);
        assertThat(a.high()).isZero();
        assertThat(a.low()).isEqualTo(0x0000_FFFF_C000_0201L);
        assertThat(a).hasToString("192.0.2.1").isEqualTo(VtepAddress.ipv4(0xC0000201));
        assertThat(VtepAddress.parse("::ffff:192.0.2.1")).isEqualTo(a);
    }

    @Test
    void ipv6_literals_parse_and_print_in_rfc_5952_form() {
        VtepAddress a = VtepAddress.parse("2001:DB8:0:0::1");

        assertThat(a.isIpv4()).isFalse();
        assertThat(a.high()).isEqualTo(0x2001_0DB8_0000_0000L);
        assertThat(a.low()).isEqualTo(1);
        assertThat(a).hasToString("2001:db8::1");
    }

    @Test
    void bad_text_is_refused_with_the_expected_forms_and_never_resolved() {
        assertThatThrownBy(() -> VtepAddress.parse("vtep.example")).hasMessageContaining("expected 4 decimal octets");
        assertThatThrownBy(() -> VtepAddress.parse("2001:db8::g")).hasMessageContaining("2001:db8::1");
        assertThatThrownBy(() -> VtepAddress.parse(" ")).hasMessageContaining("missing");
    }

    @Test
    void multicast_groups_map_to_their_ethernet_group_addresses() {
        VtepAddress v4 = VtepAddress.parse("239.1.1.119");
        VtepAddress v6 = VtepAddress.parse("ff05::7348:119");

        assertThat(v4.isMulticast()).isTrue();
        assertThat(MacAddress.format(v4.multicastMac())).isEqualTo("01:00:5e:01:01:77");
        assertThat(v6.isMulticast()).isTrue();
        assertThat(MacAddress.format(v6.multicastMac())).isEqualTo("33:33:73:48:01:19");
        assertThat(VtepAddress.parse("192.0.2.1").isMulticast()).isFalse();
        assertThatThrownBy(() -> VtepAddress.parse("192.0.2.1").multicastMac()).hasMessageContaining("not a multicast");
        assertThat(VtepAddress.parse("0.0.0.0").isUnspecified()).isTrue();
        assertThat(VtepAddress.parse("::").isUnspecified()).isTrue();
    }
}
