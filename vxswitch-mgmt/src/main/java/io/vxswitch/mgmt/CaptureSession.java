package io.vxswitch.mgmt;

/** A running capture of one port's frames (see {@link ManagedSwitch#capture}); close it to stop it. */
public interface CaptureSession extends AutoCloseable {
    /** One captured frame: {@code captured} bytes were copied into the caller's buffer, of {@code length}. */
    record Frame(long wallNanos, int captured, int length) {
    }

    /** Copies the oldest waiting frame into {@code buffer} (at least the snapshot length), or returns null. */
    Frame next(byte[] buffer);

    /** Frames the capture lost because the reader fell behind. */
    long dropped();

    /** True once the switch stopped feeding it (the switch is stopping). */
    boolean ended();

    @Override
    void close();
}
