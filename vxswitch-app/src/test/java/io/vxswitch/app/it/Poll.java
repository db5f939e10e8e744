package io.vxswitch.app.it;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a peer's state to converge (a BGP session Established, a route learned, a flood entry installed) by
 * asking it again every 200 ms: control planes have no event a test could wait on.
 */
final class Poll {
    private Poll() {
    }

    /**
     * Runs {@code probe} until its output satisfies {@code done} and returns that output. After {@code timeout}
     * fails with what the probe printed last and {@code diagnostics} (asked only then).
     */
    static String until(String what, Duration timeout, Supplier<String> probe, Predicate<String> done,
        Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String out = probe.get();
            if (done.test(out)) {
                return out;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what + "\nlast seen:\n" + out
                    + diagnostics.get());
            }
            Background.sleep(200);
        }
    }
}
