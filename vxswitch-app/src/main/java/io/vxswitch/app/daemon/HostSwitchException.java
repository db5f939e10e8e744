package io.vxswitch.app.daemon;

/**
 * A port or tunnel of the host switch that cannot be set up as configured: a device the host refuses (no such
 * interface, no privilege, an address it does not have) or a port the loops cannot serve. The message names the
 * port and says what happened and what to do. The daemon's own type, so it does not depend on the CLI that shows it;
 * {@code vxswitch run} prints it as a one-line error, the management API as a bad request.
 */
public class HostSwitchException extends RuntimeException {
    public HostSwitchException(String message) {
        super(message);
    }

    public HostSwitchException(String message, Throwable cause) {
        super(message, cause);
    }
}
