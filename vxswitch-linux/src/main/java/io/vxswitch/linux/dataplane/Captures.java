package io.vxswitch.linux.dataplane;

/**
 * The active captures, one at most per switch port. Written by the {@link Conductor} only while no forwarding agent
 * forwards (the others are held, the one on its thread is between turns); read by every agent on the data path,
 * one array load per frame, each agent writing into its own ring of the capture.
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

    /** The ring forwarding lane {@code lane} writes port {@code port}'s frames into, or null if not captured. */
    CaptureRing of(int port, int lane) {
        PortCapture c = byPort[port];
        return c == null ? null : c.ring(lane);
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
