package io.vxswitch.linux.poll;

/**
 * What a poll loop does after a duty cycle: nothing if it did work, else wait a little longer each time it
 * finds none (after Agrona's idle strategies). A loop calls {@code idle(workCount)} once per cycle.
 */
public interface IdleStrategy {
    /** Resets after work; backs off one step when {@code workCount == 0}. */
    default void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    /** One step of backing off. */
    void idle();

    /** Back to the first step: the next idle spins again. */
    void reset();
}
