package io.vxswitch.linux.dataplane;

/**
 * The active captures, one at most per switch port. Written by the {@link Conductor} only while the one forwarding
 * agent that may read them is not forwarding (captures need a single agent: one reader per port's frames); read
 * by that agent on the data path, one array load per frame.
 */
final class Captures {
    private final PortCapture[] byPort;

    Captures(int maxPorts) {
        this.byPort = new PortCapture[maxPorts];
    }

    /** The capture of switch port {@code port}, or null. */
    PortCapture of(int port) {
        return byPort[port];
    }

    /** @throws IllegalStateException if the port is already being captured */
    void attach(PortCapture capture) {
        if (byPort[capture.port()] != null) {
            throw new IllegalStateException("already being captured");
        }
        byPort[capture.port()] = capture;
    }

    /** Ends {@code capture}: no more frames go into it, and its reader sees it stopped. */
    void detach(PortCapture capture) {
        if (byPort[capture.port()] == capture) {
            byPort[capture.port()] = null;
        }
        capture.markStopped();
    }

    /** Ends every capture (the dataplane stops). */
    void detachAll() {
        for (PortCapture c : byPort) {
            if (c != null) {
                detach(c);
            }
        }
    }
}
