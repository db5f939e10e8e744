package io.vxswitch.forwarding.shaping;

import io.vxswitch.forwarding.policy.TrafficShapingPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Average, peak and burst together, as a VDS port group states them. 8 Mbit/s is one byte a microsecond, so the
 * numbers below can be checked by hand.
 */
class PortShaperTest {
    private static final long US = 1_000L;
    private static final long T0 = 7_000_000_000L;
    private static final int FRAME = 1000;

    /** Average 8 Mbit/s, peak 16 Mbit/s (a 1 ms peak bucket: 2000 bytes), burst 10000 bytes. */
    private static final TrafficShapingPolicy POLICY = new TrafficShapingPolicy(8_000_000, 16_000_000, 10_000);

    @Test
    void at_one_instant_the_peak_bucket_lets_through_one_millisecond_of_the_peak() {
        PortShaper s = PortShaper.of(POLICY);
        assertThat(s.admit(FRAME, T0)).isTrue();
        assertThat(s.admit(FRAME, T0)).isTrue();
        assertThat(s.admit(FRAME, T0)).as("the peak bucket is empty").isFalse();
        assertThat(s.average().creditBytes()).as("a refused frame takes nothing").isEqualTo(8000);
    }

    @Test
    void a_port_kept_busy_gets_the_average_plus_its_burst_and_no_more() {
        PortShaper s = PortShaper.of(POLICY);
        long passed = offer(s, T0, 1_000_000 * US, 10 * US); // a frame every 10 µs for one second: 100 MB/s offered
        // 1 s at 1 byte/µs, plus the burst bonus, plus at most one frame of debt
        assertThat(passed).isBetween(1_000_000L + 10_000 - FRAME, 1_000_000L + 10_000 + FRAME);
    }

    @Test
    void the_burst_bonus_is_spent_at_the_peak_rate() {
        PortShaper s = PortShaper.of(POLICY);
        // The first 4 ms run at the peak, 2 bytes/µs, after the peak bucket's 2000 bytes: 10000 bytes.
        long first = offer(s, T0, 4_000 * US, 10 * US);
        assertThat(first).isBetween(10_000L - FRAME, 10_000L + FRAME);
        // The bonus (10000 bytes) and the average (1 byte/µs) are spent by 8 ms; by 10 ms, 20000 bytes in all.
        long rest = offer(s, T0 + 4_000 * US, 6_000 * US, 10 * US);
        assertThat(first + rest).isBetween(20_000L - FRAME, 20_000L + FRAME);
        // Then the average alone: 10 ms more is 10000 bytes.
        long next = offer(s, T0 + 10_000 * US, 10_000 * US, 10 * US);
        assertThat(next).isBetween(10_000L - FRAME, 10_000L + FRAME);
    }

    @Test
    void an_idle_port_saves_its_burst_bonus_again() {
        PortShaper s = PortShaper.of(POLICY);
        offer(s, T0, 100_000 * US, 10 * US); // bonus spent
        assertThat(s.average().creditBytes()).isLessThanOrEqualTo(0);
        long quiet = T0 + 200_000 * US; // 100 ms quiet: 100000 bytes earned, 10000 kept
        s.average().refill(quiet);
        assertThat(s.average().creditBytes()).isEqualTo(10_000);
    }

    @Test
    void a_port_under_the_average_loses_nothing() {
        PortShaper s = PortShaper.of(POLICY);
        long passed = offer(s, T0, 1_000_000 * US, 1_250 * US); // 0.8 bytes/µs
        assertThat(passed).isEqualTo(800L * FRAME);
    }

    @Test
    void with_peak_equal_to_average_the_burst_cannot_go_faster_than_the_average() {
        PortShaper s = PortShaper.of(new TrafficShapingPolicy(8_000_000, 8_000_000, 100_000));
        long first = offer(s, T0, 10_000 * US, 10 * US);
        // the 1 ms peak bucket (1000 bytes) plus 10 ms at 1 byte/µs
        assertThat(first).isBetween(11_000L - FRAME, 11_000L + FRAME);
    }

    @Test
    void each_of_n_lanes_gets_an_nth_of_the_rates_and_of_the_burst() {
        PortShaper lane = PortShaper.forLane(POLICY, 2);
        assertThat(lane.average().depthBytes()).isEqualTo(5_000);
        assertThat(lane.peak().depthBytes()).isEqualTo(1_000);
        long passed = offer(lane, T0, 1_000_000 * US, 10 * US);
        assertThat(passed).isBetween(500_000L + 5_000 - FRAME, 500_000L + 5_000 + FRAME);
    }

    /** Offers a {@link #FRAME}-byte frame every {@code gap} from {@code start} for {@code duration}; bytes passed. */
    private static long offer(PortShaper s, long start, long duration, long gap) {
        long passed = 0;
        for (long t = start; t < start + duration; t += gap) {
            if (s.admit(FRAME, t)) {
                passed += FRAME;
            }
        }
        return passed;
    }
}
