package io.vxswitch.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process that runs while the test does (a switch daemon, a capture, an iperf3 server), its output (stdout and
 * stderr together) going to a file the test can poll. Started through {@link Lab#spawn}, which stops it on close.
 * Commands run as {@code ip netns exec NS cmd}: ip execs the command, so the process is the command itself and
 * signals reach it directly.
 */
final class Background {
    private final String label;
    private final List<String> command;
    private final Process process;
    private final Path log;

    private Background(String label, List<String> command, Process process, Path log) {
        this.label = label;
        this.command = command;
        this.process = process;
        this.log = log;
    }

    static Background start(String label, List<String> command, Path log, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        try {
            return new Background(label, command, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + label + ": " + String.join(" ", command), e);
        }
    }

    String label() {
        return label;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process printed so far. */
    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<cannot read " + log + ": " + e.getMessage() + ">";
        }
    }

    /**
     * Waits until the output satisfies {@code ready}. Fails (with the output) if the process exits first or the
     * timeout passes.
     */
    void awaitOutput(Predicate<String> ready, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String out = output();
            if (ready.test(out)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(label + " exited (status " + process.exitValue() + ") before " + what
                    + "\n$ " + String.join(" ", command) + "\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(label + " did not show " + what + " within " + timeout.toSeconds() + " s"
                    + "\n$ " + String.join(" ", command) + "\n" + out);
            }
            sleep(50);
        }
    }

    /** Sends a signal by name (INT, TERM, KILL) to this process only. */
    void signal(String name) {
        if (process.isAlive()) {
            Cmd.run(List.of("kill", "-s", name, Long.toString(process.pid())));
        }
    }

    /** Waits for the process to exit; its status, or -1 if it is still running after {@code timeout}. */
    int awaitExit(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Stops the process with {@code signal}, then SIGKILL if it is still there after {@code grace}. */
    int stop(String signal, Duration grace) {
        if (!process.isAlive()) {
            return process.exitValue();
        }
        signal(signal);
        int status = awaitExit(grace);
        if (status == -1) {
            process.destroyForcibly();
            status = awaitExit(Duration.ofSeconds(5));
        }
        return status;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
