package io.vxswitch.config;

import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.PortShaping;
import io.vxswitch.forwarding.policy.TrafficShapingPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A port group's {@code shaping:} block: units, defaults, and a message saying what to write for each mistake. */
class ShapingConfigTest {

    private static PortGroupPolicy group(String shaping) {
        return PolicyParser.portGroup(YamlDocument.parse("g.yaml", "name: vms\nshaping: " + shaping + "\n",
            "a port group"), "the config");
    }

    private static PortShaping shaping(String shaping) {
        return group(shaping).shaping();
    }

    @Test
    void ingress_and_egress_take_average_peak_and_burst_with_units() {
        PortShaping s = shaping("{ingress: {average: 50mbit, peak: 100mbit, burst: 64k},"
            + " egress: {average: 2.5gbit, peak: 3gbit/s, burst: 1m}}");
        assertThat(s.ingress()).isEqualTo(new TrafficShapingPolicy(50_000_000, 100_000_000, 65_536));
        assertThat(s.egress()).isEqualTo(new TrafficShapingPolicy(2_500_000_000L, 3_000_000_000L, 1_048_576));
    }

    @Test
    void sizes_are_bytes_or_powers_of_1024_and_rates_powers_of_1000() {
        assertThat(shaping("{ingress: {average: 500kbit, burst: 1500}}").ingress())
            .isEqualTo(new TrafficShapingPolicy(500_000, 500_000, 1500));
        assertThat(shaping("{ingress: {average: 1000bit, burst: 2KiB}}").ingress().burstSize()).isEqualTo(2048);
        assertThat(shaping("{ingress: {average: 1Tbit, burst: 1.5m}}").ingress())
            .isEqualTo(new TrafficShapingPolicy(1_000_000_000_000L, 1_000_000_000_000L, 1_572_864));
    }

    @Test
    void peak_defaults_to_the_average_and_burst_to_vspheres_102400_kb() {
        PortShaping s = shaping("{egress: {average: 100mbit}}");
        assertThat(s.ingress()).isNull();
        assertThat(s.egress()).isEqualTo(new TrafficShapingPolicy(100_000_000, 100_000_000, 102_400 * 1024));
    }

    @Test
    void enabled_false_keeps_the_numbers_in_the_file_and_shapes_nothing() {
        assertThat(shaping("{ingress: {enabled: false, average: 1mbit}}")).isEqualTo(PortShaping.NONE);
    }

    @Test
    void a_port_group_without_shaping_has_none() {
        PortGroupPolicy g = PolicyParser.portGroup(YamlDocument.parse("g.yaml", "name: vms\n", "a port group"),
            "the config");
        assertThat(g.shaping()).isEqualTo(PortShaping.NONE);
        assertThat(g.shaping().any()).isFalse();
    }

    @Test
    void a_rate_without_a_unit_or_in_bytes_is_refused_with_what_to_write() {
        assertThatThrownBy(() -> shaping("{ingress: {average: 50000000}}")).isInstanceOf(ConfigException.class)
            .hasMessage("g.yaml:2:30: port group 'vms': shaping.ingress.average must be a rate in bits per second"
                + " with its unit, like 500kbit, 100mbit or 1gbit (k, m, g = 1000), got '50000000'");
        assertThatThrownBy(() -> shaping("{ingress: {average: 100mbps}}"))
            .hasMessageContaining("got '100mbps'");
        assertThatThrownBy(() -> shaping("{ingress: {average: 10MB}}")).hasMessageContaining("got '10MB'");
        assertThatThrownBy(() -> shaping("{ingress: {average: -5mbit}}")).hasMessageContaining("got '-5mbit'");
    }

    @Test
    void peak_below_the_average_is_refused_at_the_peak() {
        assertThatThrownBy(() -> shaping("{egress: {average: 50mbit, peak: 10mbit}}"))
            .isInstanceOf(ConfigException.class)
            .hasMessage("g.yaml:2:43: port group 'vms': shaping.egress.peak (10mbit) must be at least the average"
                + " (50mbit) and at most 1tbit: write peak: 50mbit or more, or leave it out (it is then the average)");
    }

    @Test
    void bad_sizes_zero_and_out_of_range_values_are_refused() {
        assertThatThrownBy(() -> shaping("{ingress: {average: 1mbit, burst: 64kbit}}"))
            .hasMessageContaining("shaping.ingress.burst must be a size in bytes, like 65536, 64k or 1m"
                + " (k = 1024 bytes, m = 1024 k), got '64kbit'");
        assertThatThrownBy(() -> shaping("{ingress: {average: 1mbit, burst: 0}}"))
            .hasMessageContaining("shaping.ingress.burst must be from 1 byte to 512m, got 0 bytes");
        assertThatThrownBy(() -> shaping("{ingress: {average: 1mbit, burst: 1g}}"))
            .hasMessageContaining("must be from 1 byte to 512m");
        assertThatThrownBy(() -> shaping("{ingress: {average: 0bit}}"))
            .hasMessageContaining("shaping.ingress.average must be from 1kbit to 1tbit, got 0bit");
        assertThatThrownBy(() -> shaping("{ingress: {average: 2tbit}}"))
            .hasMessageContaining("must be from 1kbit to 1tbit, got 2tbit");
    }

    @Test
    void a_missing_average_and_unknown_keys_say_what_is_expected() {
        assertThatThrownBy(() -> shaping("{ingress: {peak: 1mbit}}"))
            .hasMessageContaining("port group 'vms': shaping.ingress (a rate such as average: 100mbit): missing 'average'");
        assertThatThrownBy(() -> shaping("{ingress: {average: 1mbit, burstSize: 1m}}"))
            .hasMessageContaining("unknown key 'burstSize' (expected enabled, average, peak, burst)");
        assertThatThrownBy(() -> shaping("{in: {average: 1mbit}}"))
            .hasMessageContaining("unknown key 'in' (expected ingress, egress)");
    }
}
