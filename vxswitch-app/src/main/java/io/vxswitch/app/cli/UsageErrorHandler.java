package io.vxswitch.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A command line picocli could not parse: what was wrong in one sentence, a suggestion if picocli has one, and
 * where the help is; exit code 2. Picocli's own handler prints the whole usage under the error, which buries it,
 * and its conversion errors name Java classes ({@code cannot convert 'x' to SeedPolicy
 * (java.lang.IllegalArgumentException: ...)}): those are reworded here.
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
    /** "cannot convert 'x' to Type (java.lang.SomeException: reason)": the reason is what the user needs. */
    private static final Pattern CONVERSION =
        Pattern.compile("cannot convert '[^']*' to [\\w.$]+ \\((?:[\\w$]+\\.)+[\\w$]+(?:Exception|Error): (.*)\\)$");
    /** Picocli's words for a number it could not read: "'x' is not an int". */
    private static final Pattern NOT_A_NUMBER = Pattern.compile("'([^']*)' is not an? (?:int|long|short|byte)\\b");

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        err.println(name + ": " + sentence(ex, cl));
        if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            err.println("Did you mean: " + String.join(" or ", u.getSuggestions()) + "?");
        }
        err.println("Run '" + name + " --help' for " + (cl.getSubcommands().isEmpty() ? "its options" : "its commands")
            + ".");
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    static String sentence(ParameterException ex, CommandLine cl) {
        if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().getFirst();
            if (first.startsWith("-")) {
                return "unknown option '" + first + "'";
            }
            List<String> commands = cl.getSubcommands().keySet().stream().filter(c -> !c.equals("help")).toList();
            return commands.isEmpty() ? "unexpected argument '" + first + "'"
                : "no command '" + first + "' (commands: " + String.join(", ", commands) + ")";
        }
        return plain(String.valueOf(ex.getMessage()));
    }

    /** A picocli message without Java in it. */
    static String plain(String message) {
        String m = CONVERSION.matcher(message).replaceFirst("$1");
        return NOT_A_NUMBER.matcher(m).replaceAll("'$1' is not a whole number");
    }
}
