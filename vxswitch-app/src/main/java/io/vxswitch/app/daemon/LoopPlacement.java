package io.vxswitch.app.daemon;

import io.vxswitch.linux.dataplane.Dataplane;
import io.vxswitch.linux.dataplane.TapReadMode;

/**
 * Where the switch loop runs, how it waits and how it reads its taps ({@code switch.cpu}, {@code switch.poll},
 * {@code switch.tapReads}).
 *
 * @param cpu      the CPU the switch loop keeps to alone, or {@link Dataplane#NO_CPU}
 * @param busyPoll the loop never sleeps: lowest latency, a whole core
 * @param tapReads a {@code read(2)} per frame, an io_uring per tap queue, or the io_uring where the kernel has one
 */
public record LoopPlacement(int cpu, boolean busyPoll, TapReadMode tapReads) {
    public static final TapReadMode DEFAULT_TAP_READS = TapReadMode.AUTO;
    public static final LoopPlacement DEFAULT = new LoopPlacement(Dataplane.NO_CPU, false, DEFAULT_TAP_READS);
}
