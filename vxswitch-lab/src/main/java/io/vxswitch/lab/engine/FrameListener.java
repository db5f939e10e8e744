package io.vxswitch.lab.engine;

/**
 * Watches the frames put on a {@link Link}, e.g. to write a capture file. Called when a frame is sent,
 * with the virtual time and the endpoint that sent it; the array must not be modified.
 */
@FunctionalInterface
public interface FrameListener {
    void onFrame(long timeNanos, Endpoint from, byte[] frame);

    /** The listener now watches {@code link} (called once per link, before any frame), e.g. to open its file. */
    default void attached(Link link) {
    }
}
