package io.vxswitch.bgp.peers;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something a real peer does in its own time: polls every 50 ms, fails after the timeout. */
public final class Eventually {
    private Eventually() {
    }

    public static void within(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }
}
