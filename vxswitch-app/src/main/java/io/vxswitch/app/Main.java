package io.vxswitch.app;

import io.vxswitch.app.cli.VxswitchCommand;
import picocli.CommandLine;

/** Entry point of the {@code vxswitch} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cl = VxswitchCommand.commandLine();
        try {
            return cl.execute(args);
        } finally {
            cl.getOut().flush(); // picocli's writer flushes on println only; tables end with print
            cl.getErr().flush();
        }
    }
}
