package io.vxswitch.forwarding.lacp;

/**
 * At most {@code max} frames of one kind leave a member in any period: the send times of the last {@code max} in a
 * ring, so the oldest of them says whether one more may go. It is kept across link flaps (a flapping link must not
 * earn a fresh allowance each time it comes up).
 */
final class SendLimit {
    private final long[] sent;
    private final long periodNanos;
    private int next;
    /** Frames sent so far, up to {@code max}: until then {@link #sent} is not all valid. */
    private int recent;

    SendLimit(int max, long periodNanos) {
        this.sent = new long[max];
        this.periodNanos = periodNanos;
    }

    /** True if one more may leave at {@code now}. */
    boolean allows(long now) {
        return recent < sent.length || now - sent[next] >= periodNanos; // sent[next]: the oldest of the last max
    }

    /** One left at {@code now}. */
    void sent(long now) {
        sent[next] = now;
        next = (next + 1) % sent.length;
        recent = Math.min(recent + 1, sent.length);
    }
}
