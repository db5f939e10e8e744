package io.vxswitch.lab.engine;

import java.util.Locale;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * A discrete-event simulator: one virtual clock in nanoseconds and a queue of actions due at given times.
 * Events due at the same time run in the order they were scheduled, so a run is a pure function of its
 * inputs: no threads, no wall clock.
 *
 * <p>Events are either <em>work</em> (frames in flight, protocol timers, ping intervals) or <em>daemon</em>
 * housekeeping (FDB aging sweeps) that repeats forever; {@link #run()} stops when no work is left, however
 * many daemon events remain.
 */
public final class Simulator {
    /** Ten minutes of virtual time: far beyond any lab scenario, a guard against a timer loop. */
    public static final long DEFAULT_LIMIT_NANOS = 600_000_000_000L;
    /**
     * Events one simulation may run. The seed story needs a few thousand; a topology with a layer-2 loop
     * (the lab has no spanning tree) floods forever, and this stops it with a clear message.
     */
    public static final long DEFAULT_EVENT_LIMIT = 20_000_000L;

    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>();
    private long now;
    private long nextSequence;
    private int pendingWork;
    private long executed;
    private long eventLimit = DEFAULT_EVENT_LIMIT;

    /** The current virtual time in nanoseconds since the start of the run. */
    public long now() {
        return now;
    }

    /** How many events have run so far. */
    public long executed() {
        return executed;
    }

    /** Sets how many events may run in all before the simulator gives up (see {@link #DEFAULT_EVENT_LIMIT}). */
    public void eventLimit(long limit) {
        this.eventLimit = limit;
    }

    /** Work events waiting (cancelled ones excluded, daemon ones not counted). */
    public int pendingWork() {
        return pendingWork;
    }

    /** Runs {@code action} at virtual time {@code time}, which must not lie in the past. */
    public Scheduled at(long time, Runnable action) {
        return schedule(time, action, false);
    }

    /** Runs {@code action} {@code delay} nanoseconds from now. */
    public Scheduled after(long delay, Runnable action) {
        if (delay < 0) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay + " ns");
        }
        return schedule(now + delay, action, false);
    }

    /**
     * Runs {@code action} every {@code period} nanoseconds, first at now + period, as housekeeping that does
     * not keep {@link #run()} going.
     */
    public void everyAsDaemon(long period, Runnable action) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive, got " + period + " ns");
        }
        schedule(now + period, new Runnable() {
            @Override
            public void run() {
                action.run();
                schedule(now + period, this, true);
            }
        }, true);
    }

    private Scheduled schedule(long time, Runnable action, boolean daemon) {
        if (time < now) {
            throw new IllegalArgumentException("cannot schedule at " + time + " ns: the clock is already at " + now);
        }
        Scheduled s = new Scheduled(this, time, nextSequence++, action, daemon);
        queue.add(s);
        if (!daemon) {
            pendingWork++;
        }
        return s;
    }

    void cancelled(Scheduled s) {
        if (!s.daemon) {
            pendingWork--;
        }
    }

    /** Runs events until no work is left or the clock would pass {@link #DEFAULT_LIMIT_NANOS}. */
    public void run() {
        runUntil(() -> false, DEFAULT_LIMIT_NANOS);
    }

    /**
     * Runs events in time order until {@code done} holds, no work is left, or the next event lies beyond
     * {@code limitNanos}. Returns true if {@code done} holds at the end.
     */
    public boolean runUntil(BooleanSupplier done, long limitNanos) {
        while (!done.getAsBoolean() && pendingWork > 0) {
            Scheduled next = queue.peek();
            if (next == null || next.time > limitNanos) {
                break;
            }
            queue.poll();
            if (next.cancelled) {
                continue;
            }
            fire(next);
        }
        return done.getAsBoolean();
    }

    /** Advances the clock to {@code time}, running every event due until then, daemon ones included. */
    public void runTo(long time) {
        while (true) {
            Scheduled next = queue.peek();
            if (next == null || next.time > time) {
                break;
            }
            queue.poll();
            if (next.cancelled) {
                continue;
            }
            fire(next);
        }
        now = Math.max(now, time);
    }

    private void fire(Scheduled event) {
        if (executed >= eventLimit) {
            throw new IllegalStateException("the simulation ran " + executed + " events by "
                + String.format(Locale.ROOT, "%.3f", now / 1e9)
                + " s of virtual time: is there a layer-2 loop? (the lab has no spanning tree)");
        }
        if (!event.daemon) {
            pendingWork--;
        }
        event.fired = true;
        now = event.time;
        executed++;
        event.action.run();
    }
}
