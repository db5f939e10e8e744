package io.vxswitch.forwarding.shaping;

import io.vxswitch.forwarding.policy.TrafficShapingPolicy;
import org.junit.jupiter.api.Test;

import static io.vxswitch.forwarding.shaping.TokenBucket.UNITS_PER_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

/** The bucket's arithmetic, to the byte, with made-up times. 8000 bit/s is one byte a millisecond. */
class TokenBucketTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 5_000 * MS;

    private static TokenBucket byteAMillisecond(long depthBytes) {
        return new TokenBucket(8_000, depthBytes * UNITS_PER_BYTE);
    }

    @Test
    void a_new_bucket_is_full_at_its_first_frame_whatever_the_clock_says() {
        TokenBucket b = byteAMillisecond(1500);
        b.refill(-42 * MS); // System.nanoTime may be negative
        assertThat(b.creditBytes()).isEqualTo(1500);
    }

    @Test
    void credit_comes_back_at_the_rate_exactly_and_stops_at_the_depth() {
        TokenBucket b = byteAMillisecond(1500);
        b.refill(T0);
        b.draw(1000);
        assertThat(b.creditBytes()).isEqualTo(500);
        b.refill(T0 + 250 * MS);
        assertThat(b.creditBytes()).isEqualTo(750);
        b.refill(T0 + 250 * MS + MS / 2); // half a byte: kept, not rounded away
        b.refill(T0 + 250 * MS + MS);
        assertThat(b.creditBytes()).isEqualTo(751);
        b.refill(T0 + 10_000 * MS);
        assertThat(b.creditBytes()).isEqualTo(1500);
    }

    @Test
    void a_frame_larger_than_what_is_left_passes_into_debt_and_the_next_waits_until_it_is_paid() {
        TokenBucket b = byteAMillisecond(1500);
        b.refill(T0);
        b.draw(1000);
        assertThat(b.hasCredit()).isTrue();
        b.draw(1000);
        assertThat(b.creditBytes()).isEqualTo(-500);
        assertThat(b.hasCredit()).isFalse();
        b.refill(T0 + 500 * MS); // exactly paid back: empty is not credit
        assertThat(b.hasCredit()).isFalse();
        b.refill(T0 + 501 * MS);
        assertThat(b.hasCredit()).isTrue();
    }

    @Test
    void a_super_frame_passes_a_bucket_smaller_than_itself() {
        TokenBucket b = byteAMillisecond(1500);
        b.refill(T0);
        assertThat(b.hasCredit()).isTrue();
        b.draw(65_000);
        assertThat(b.creditBytes()).isEqualTo(1500 - 65_000);
    }

    @Test
    void time_going_backwards_or_standing_still_adds_nothing() {
        TokenBucket b = byteAMillisecond(1500);
        b.refill(T0);
        b.draw(1500);
        b.refill(T0 - 100 * MS);
        b.refill(T0);
        assertThat(b.creditBytes()).isZero();
        b.refill(T0 + 3 * MS);
        assertThat(b.creditBytes()).isEqualTo(3);
    }

    @Test
    void the_largest_rate_and_depth_after_a_long_idle_do_not_overflow() {
        TokenBucket b = new TokenBucket(TrafficShapingPolicy.MAX_BANDWIDTH,
            TrafficShapingPolicy.MAX_BURST * UNITS_PER_BYTE);
        b.refill(T0);
        b.draw(TokenBucket.MAX_DRAW * 4); // counted as one largest draw
        assertThat(b.creditBytes()).isEqualTo(TrafficShapingPolicy.MAX_BURST - TokenBucket.MAX_DRAW);
        b.refill(T0 + 4 * MS); // 1 Tbit/s fills 512 MiB in 4.3 ms: just under, the multiplication path
        assertThat(b.creditBytes()).isEqualTo(TrafficShapingPolicy.MAX_BURST);
        b.draw(1);
        b.refill(Long.MAX_VALUE);
        assertThat(b.creditBytes()).isEqualTo(TrafficShapingPolicy.MAX_BURST);
    }
}
