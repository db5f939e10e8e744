package io.vxswitch.app.daemon;

import io.vxswitch.linux.dataplane.Dataplane;

/**
 * Where the switch loop runs and how it waits ({@code switch.cpu}, {@code switch.poll}).
 *
 * @param cpu      the CPU the switch loop keeps to alone, or {@link Dataplane#NO_CPU}
 * @param busyPoll the loop never sleeps: lowest latency, a whole core
 */
public record LoopPlacement(int cpu, boolean busyPoll) {
    public static final LoopPlacement DEFAULT = new LoopPlacement(Dataplane.NO_CPU, false);
}
