package io.vxswitch.lab.engine;

/** An event in the {@link Simulator}'s queue; ordered by time, then by the order it was scheduled in. */
public final class Scheduled implements Comparable<Scheduled> {
    private final Simulator simulator;
    final long time;
    final long sequence;
    final Runnable action;
    final boolean daemon;
    boolean cancelled;
    boolean fired;

    Scheduled(Simulator simulator, long time, long sequence, Runnable action, boolean daemon) {
        this.simulator = simulator;
        this.time = time;
        this.sequence = sequence;
        this.action = action;
        this.daemon = daemon;
    }

    public long time() {
        return time;
    }

    /** Stops the event from running; no effect once it ran or was cancelled. */
    public void cancel() {
        if (!cancelled && !fired) {
            cancelled = true;
            simulator.cancelled(this);
        }
    }

    public boolean pending() {
        return !cancelled && !fired;
    }

    @Override
    public int compareTo(Scheduled o) {
        int c = Long.compare(time, o.time);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
}
