package io.vxswitch.linux.dataplane;

import org.agrona.ErrorHandler;

import java.util.function.Consumer;

/**
 * What an agent's runner does with an exception from a turn (a bug: devices count their I/O errors and never
 * throw): the agent goes on with its next turn, and the operator sees the error, at most one line per second per
 * thread, with the count of those not shown, so a fault repeated on every frame cannot flood the log.
 */
final class AgentErrors implements ErrorHandler {
    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final String thread;
    private final Consumer<String> log;
    private long nextLine = System.nanoTime();
    private long suppressed;

    AgentErrors(String thread, Consumer<String> log) {
        this.thread = thread;
        this.log = log;
    }

    @Override
    public void onError(Throwable error) {
        long now = System.nanoTime();
        if (now - nextLine < 0) {
            suppressed++;
            return;
        }
        nextLine = now + INTERVAL_NANOS;
        log.accept(thread + ": unexpected error, the thread goes on: " + error
            + (suppressed > 0 ? " [" + suppressed + " more since the last such line]" : ""));
        suppressed = 0;
    }
}
