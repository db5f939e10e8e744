package io.vxswitch.lab.ping;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PingFormatTest {
    @Test
    void header_names_the_target_twice_and_the_default_sizes() {
        assertThat(PingFormat.header("10.0.0.3")).isEqualTo("PING 10.0.0.3 (10.0.0.3) 56(84) bytes of data.");
    }

    @Test
    void a_reply_line_has_bytes_sequence_ttl_and_time() {
        assertThat(PingFormat.reply(64, "10.0.0.3", 1, 64, 412, false))
            .isEqualTo("64 bytes from 10.0.0.3: icmp_seq=1 ttl=64 time=0.412 ms");
        assertThat(PingFormat.reply(64, "10.0.0.3", 1, 64, 512, true))
            .isEqualTo("64 bytes from 10.0.0.3: icmp_seq=1 ttl=64 time=0.512 ms (DUP!)");
    }

    @Test
    void round_trip_times_show_three_significant_digits_as_iputils_prints_them() {
        assertThat(PingFormat.rtt(45)).isEqualTo("0.045");
        assertThat(PingFormat.rtt(999)).isEqualTo("0.999");
        assertThat(PingFormat.rtt(1000)).isEqualTo("1.00");
        assertThat(PingFormat.rtt(1234)).isEqualTo("1.23");
        assertThat(PingFormat.rtt(1235)).isEqualTo("1.24");
        assertThat(PingFormat.rtt(9994)).isEqualTo("9.99");
        assertThat(PingFormat.rtt(9995)).isEqualTo("10.0");
        assertThat(PingFormat.rtt(12_345)).isEqualTo("12.3");
        assertThat(PingFormat.rtt(99_949)).isEqualTo("99.9");
        assertThat(PingFormat.rtt(99_950)).isEqualTo("100");
        assertThat(PingFormat.rtt(123_456)).isEqualTo("123");
    }

    @Test
    void an_error_line_names_who_reported_it() {
        assertThat(PingFormat.error("10.0.0.1", 2, "Destination Host Unreachable"))
            .isEqualTo("From 10.0.0.1 icmp_seq=2 Destination Host Unreachable");
    }

    @Test
    void summary_with_duplicates() {
        PingStats s = new PingStats(4, 4, 4, 0, 3_003_000_000L, new RttSummary(412, 462, 512, 50), 1);

        assertThat(PingFormat.summary("10.0.0.3", s)).isEqualTo("""

            --- 10.0.0.3 ping statistics ---
            4 packets transmitted, 4 received, +4 duplicates, 0% packet loss, time 3003ms
            rtt min/avg/max/mdev = 0.412/0.462/0.512/0.050 ms
            """);
    }

    @Test
    void summary_without_any_answer_ends_with_an_empty_line_like_iputils() {
        PingStats s = new PingStats(4, 0, 0, 0, 3_060_000_000L, null, 0);

        assertThat(PingFormat.summary("10.0.0.3", s)).isEqualTo("""

            --- 10.0.0.3 ping statistics ---
            4 packets transmitted, 0 received, 100% packet loss, time 3060ms

            """);
    }

    @Test
    void summary_with_errors_counts_them_and_shows_the_pipe() {
        PingStats s = new PingStats(4, 0, 0, 4, 3_000_000_000L, null, 3);

        assertThat(PingFormat.summary("10.0.0.3", s)).isEqualTo("""

            --- 10.0.0.3 ping statistics ---
            4 packets transmitted, 0 received, +4 errors, 100% packet loss, time 3000ms
            pipe 3
            """);
    }

    @Test
    void partial_loss_prints_with_percent_g() {
        PingStats s = new PingStats(3, 2, 0, 0, 2_000_400_000L, new RttSummary(300, 350, 400, 50), 2);

        assertThat(PingFormat.summary("10.0.0.4", s)).isEqualTo("""

            --- 10.0.0.4 ping statistics ---
            3 packets transmitted, 2 received, 33.3333% packet loss, time 2000ms
            rtt min/avg/max/mdev = 0.300/0.350/0.400/0.050 ms, pipe 2
            """);
    }

    @Test
    void elapsed_time_rounds_to_the_nearest_millisecond() {
        assertThat(new PingStats(1, 1, 0, 0, 2_499_999, null, 1).elapsedMillis()).isEqualTo(2);
        assertThat(new PingStats(1, 1, 0, 0, 2_500_000, null, 1).elapsedMillis()).isEqualTo(3);
    }

    @Test
    void percent_g_matches_c() {
        assertThat(PingFormat.formatG(0)).isEqualTo("0");
        assertThat(PingFormat.formatG(100)).isEqualTo("100");
        assertThat(PingFormat.formatG(25)).isEqualTo("25");
        assertThat(PingFormat.formatG((float) (100.0 / 3))).isEqualTo("33.3333");
        assertThat(PingFormat.formatG((float) (200.0 / 3))).isEqualTo("66.6667");
        assertThat(PingFormat.formatG(0.5)).isEqualTo("0.5");
        assertThat(PingFormat.formatG(0.0001)).isEqualTo("0.0001");
        assertThat(PingFormat.formatG(0.00001234)).isEqualTo("1.234e-05");
        assertThat(PingFormat.formatG(1234567)).isEqualTo("1.23457e+06");
    }

    @Test
    void mdev_is_the_integer_deviation_over_all_replies_duplicates_included() {
        RttAccumulator rtt = new RttAccumulator();
        for (int i = 0; i < 4; i++) {
            rtt.add(412);
            rtt.add(512);
        }

        assertThat(rtt.summary()).isEqualTo(new RttSummary(412, 462, 512, 50));
        assertThat(new RttAccumulator().summary()).isNull();
    }

    @Test
    void integer_square_root_is_iputils_llsqrt_which_may_end_one_above_the_floor() {
        assertThat(RttAccumulator.integerSqrt(0)).isZero();
        assertThat(RttAccumulator.integerSqrt(2500)).isEqualTo(50);
        assertThat(RttAccumulator.integerSqrt(2401)).isEqualTo(49);
        assertThat(RttAccumulator.integerSqrt(2499)).isEqualTo(50);
        assertThat(RttAccumulator.integerSqrt(48)).isEqualTo(7);
    }
}
