package io.vxswitch.app.cli;

/** An error the user can act on; its message says what happened and what to do. */
public class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
