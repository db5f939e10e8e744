package io.vxswitch.app.cli;

import picocli.CommandLine;

/**
 * Turns the errors a user can fix (a bad file, a bad value) into one line on stderr and exit code 1;
 * anything else is a bug and keeps its stack trace.
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final int USER_ERROR = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof UserException || e instanceof IllegalArgumentException) {
            cl.getErr().println("vxswitch: " + e.getMessage());
            return USER_ERROR;
        }
        throw e;
    }
}
