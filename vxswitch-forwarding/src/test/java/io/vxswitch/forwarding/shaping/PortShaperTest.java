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

    /** Average 8 Mbit/s, peak 16 Mbit/s (a 10 ms peak bucket: 20000 bytes), burst 100000 bytes. */
    private static final TrafficShapingPolicy POLICY = new TrafficShapingPolicy(8_000_000, 16_000_000, 100_000);

    @Test
    void at_one_instant_the_peak_bucket_lets_through_ten_milliseconds_of_the_peak() {
        PortShaper s = PortShaper.of(POLICY);
        for (int i = 0; i < 20; i++) {
            assertThat(s.admit(FRAME, T0)).as("frame " + i).isTrue();
        }
        assertThat(s.admit(FRAME, T0)).as("the peak bucket is empty").isFalse();
        assertThat(s.average().creditBytes()).as("a refused frame takes nothing").isEqualTo(80_000);
    }

    @Test
    void a_port_kept_busy_gets_the_average_plus_its_burst_and_no_more() {
        PortShaper s = PortShaper.of(POLICY);
        long passed = offer(s, T0, 1_000_000 * US, 10 * US); // a frame every 10 µs for one second: 100 MB/s offered
        // 1 s at 1 byte/µs, plus the burst bonus, plus at most one frame of debt
        assertThat(passed).isBetween(1_000_000L + 100_000 - FRAME, 1_000_000L + 100_000 + FRAME);
    }

    @Test
    void the_burst_bonus_is_spent_at_the_peak_rate() {
        PortShaper s = PortShaper.of(POLICY);
        // The first 40 ms run at the peak, 2 bytes/µs, after the peak bucket's 20000 bytes: 100000 bytes.
        long first = offer(s, T0, 40_000 * US, 10 * US);
        assertThat(first).isBetween(100_000L - FRAME, 100_000L + FRAME);
        // The bonus (100000 bytes) and the average (1 byte/µs) are spent by 80 ms; by 100 ms, 200000 bytes in all.
        long rest = offer(s, T0 + 40_000 * US, 60_000 * US, 10 * US);
        assertThat(first + rest).isBetween(200_000L - FRAME, 200_000L + FRAME);
        // Then the average alone: 100 ms more is 100000 bytes.
        long next = offer(s, T0 + 100_000 * US, 100_000 * US, 10 * US);
        assertThat(next).isBetween(100_000L - FRAME, 100_000L + FRAME);
    }

    @Test
    void an_idle_port_saves_its_burst_bonus_again() {
        PortShaper s = PortShaper.of(POLICY);
        offer(s, T0, 200_000 * US, 10 * US); // bonus spent
        assertThat(s.average().creditBytes()).isLessThanOrEqualTo(0);
        long quiet = T0 + 400_000 * US; // 200 ms quiet: 200000 bytes earned, 100000 kept
        s.average().refill(quiet);
        assertThat(s.average().creditBytes()).isEqualTo(100_000);
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
        // the 10 ms peak bucket (10000 bytes) plus 10 ms at 1 byte/µs
        assertThat(first).isBetween(20_000L - FRAME, 20_000L + FRAME);
    }

    @Test
    void each_of_n_lanes_gets_an_nth_of_the_rates_and_of_the_burst() {
        PortShaper lane = PortShaper.forLane(POLICY, 2);
        assertThat(lane.average().depthBytes()).isEqualTo(50_000);
        assertThat(lane.peak().depthBytes()).isEqualTo(10_000);
        long passed = offer(lane, T0, 1_000_000 * US, 10 * US);
        assertThat(passed).isBetween(500_000L + 50_000 - FRAME, 500_000L + 50_000 + FRAME);
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
