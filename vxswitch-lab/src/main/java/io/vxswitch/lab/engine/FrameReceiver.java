package io.vxswitch.lab.engine;

/** What sits at an {@link Endpoint}: a NIC or a switch port that takes the frames arriving there. */
@FunctionalInterface
public interface FrameReceiver {
    /** A frame arrived; the array is the receiver's own copy. */
    void receive(byte[] frame);
}
