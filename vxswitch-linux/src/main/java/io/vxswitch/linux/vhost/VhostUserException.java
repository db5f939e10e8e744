package io.vxswitch.linux.vhost;

/**
 * A vhost-user front-end sent something this back-end cannot accept (a malformed message, a memory table it cannot
 * map, a ring outside the guest's memory). The connection's control thread logs the message and closes the
 * connection, as the protocol allows ("If back-end detects some error such as incompatible features, it may also
 * close the connection"); the switch goes on.
 */
public final class VhostUserException extends RuntimeException {
    public VhostUserException(String message) {
        super(message);
    }
}
