package io.vxswitch.linux.vhost;

/**
 * How a control thread gets something done on the thread that owns a device's data path: {@link #run} returns once
 * {@code command} has run there (between two forwarding turns), so its effect is in place and whatever it replaced is
 * no longer in use. The daemon passes the dataplane's command queue; tests run commands in place.
 */
@FunctionalInterface
public interface LoopCommands {
    /**
     * Runs {@code command} on the data path's thread and waits for it.
     *
     * @throws VhostUserException if the data path is stopping and will not run it
     */
    void run(Runnable command);
}
