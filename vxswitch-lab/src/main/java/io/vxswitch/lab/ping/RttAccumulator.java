package io.vxswitch.lab.ping;

/**
 * Round-trip times of one ping run, summed the way iputils' {@code gather_statistics} and {@code finish}
 * do (ping_common.c): duplicates count, the average and the mean deviation use integer microseconds, and
 * mdev is the integer square root of the variance.
 */
public final class RttAccumulator {
    private long count;
    private double sum;
    private double sumOfSquares;
    private long min = Long.MAX_VALUE;
    private long max;

    public void add(long micros) {
        count++;
        sum += micros;
        sumOfSquares += (double) micros * (double) micros;
        min = Math.min(min, micros);
        max = Math.max(max, micros);
    }

    public long count() {
        return count;
    }

    public long maxMicros() {
        return max;
    }

    /** The summary over every reply, duplicates included; null before the first reply. */
    public RttSummary summary() {
        if (count == 0) {
            return null;
        }
        long avg = (long) (sum / count);
        long variance;
        if (sum < Integer.MAX_VALUE) {
            // iputils: "this slightly clumsy computation order is important to avoid integer rounding
            // errors for small ping times".
            variance = (long) ((sumOfSquares - (sum * sum) / count) / count);
        } else {
            variance = (long) (sumOfSquares / count) - avg * avg;
        }
        return new RttSummary(min, avg, max, integerSqrt(Math.max(0, variance)));
    }

    /** Newton's method on integers, as iputils' {@code llsqrt}. */
    static long integerSqrt(long a) {
        long prev = Long.MAX_VALUE;
        long x = a;
        if (x > 0) {
            while (x < prev) {
                prev = x;
                x = (x + a / x) / 2;
            }
        }
        return x;
    }
}
