package io.vxswitch.app.cli;

import picocli.CommandLine;

import java.io.UncheckedIOException;

/**
 * Turns the errors a user can fix (a bad file, a bad value, a file that cannot be written) into one line on stderr
 * and exit code 1. Anything else is a bug: one line too, saying so, and the stack trace only when asked for
 * ({@code VXSWITCH_DEBUG=1}), so a user never has to read Java to learn what happened.
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final int USER_ERROR = 1;
    /** sysexits.h EX_SOFTWARE: an internal error. */
    static final int BUG = 70;
    static final String DEBUG_ENV = "VXSWITCH_DEBUG";

    private final boolean debug;

    UserErrorHandler() {
        this(System.getenv(DEBUG_ENV) != null && !System.getenv(DEBUG_ENV).isEmpty());
    }

    UserErrorHandler(boolean debug) {
        this.debug = debug;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        if (e instanceof UserException || e instanceof IllegalArgumentException || e instanceof UncheckedIOException) {
            cl.getErr().println("vxswitch: " + e.getMessage());
            cl.getErr().flush();
            return USER_ERROR;
        }
        cl.getErr().println("vxswitch: unexpected failure"
            + (e.getMessage() != null ? ": " + e.getMessage() : "") + ". This is a bug in vxswitch: please report it"
            + (debug ? " with the stack trace below." : ", with what the same command prints with " + DEBUG_ENV
            + "=1 set (the stack trace)."));
        if (debug) {
            e.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return BUG;
    }
}
