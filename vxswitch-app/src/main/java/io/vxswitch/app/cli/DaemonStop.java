package io.vxswitch.app.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How {@code vxswitch run} stops: on SIGTERM or SIGINT, or when the JVM shuts down any other way, the stop runs once
 * and every later caller waits for it to finish.
 *
 * <p>SIGTERM and SIGINT are handled here rather than left to the JVM: a JVM that shuts down on a signal exits with
 * 128 + the signal's number (143 for SIGTERM) whatever its hooks do, and systemd, init scripts and supervisors read
 * that as a failure. Handled, the signal only starts the stop, and {@code run} returns 0 once it is done.
 */
final class DaemonStop {
    private final Runnable stop;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean failed;

    DaemonStop(Runnable stop) {
        this.stop = stop;
    }

    /** Stops on SIGTERM and SIGINT, and on any other shutdown of the JVM (SIGHUP, an exit elsewhere). */
    void install() {
        for (String signal : new String[] {"TERM", "INT"}) {
            // jdk.unsupported's sun.misc.Signal (JEP 260 keeps it for this); javac warns of it, nothing replaces it
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> run());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::run, "vxswitch-shutdown"));
    }

    /** Runs the stop if nobody has yet, else waits until it has finished; true if it completed without an error. */
    boolean run() {
        if (started.compareAndSet(false, true)) {
            try {
                stop.run();
            } catch (RuntimeException | Error e) {
                failed = true;
                throw e;
            } finally {
                done.countDown();
            }
        } else {
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return !failed;
    }
}
