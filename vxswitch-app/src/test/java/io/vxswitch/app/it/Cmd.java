package io.vxswitch.app.it;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one command to completion, with a timeout. Both output streams are kept so that a failure message shows
 * what the command said. Commands that leave a process running (daemons, captures) use {@link Background}.
 */
final class Cmd {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    /** What a finished command did. */
    record Result(List<String> command, int exitCode, String out, String err) {
        boolean ok() {
            return exitCode == 0;
        }

        /** The command, its exit code and its output, for failure messages. */
        String describe() {
            return "$ " + String.join(" ", command) + "\n[exit " + exitCode + "]\n" + out
                + (err.isBlank() ? "" : "[stderr]\n" + err);
        }

        /** This result, or an AssertionError that shows the command and its output. */
        Result check() {
            if (!ok()) {
                throw new AssertionError("command failed:\n" + describe());
            }
            return this;
        }
    }

    private Cmd() {
    }

    static Result run(List<String> command) {
        return run(command, DEFAULT_TIMEOUT, Map.of());
    }

    static Result run(List<String> command, Duration timeout) {
        return run(command, timeout, Map.of());
    }

    /** Runs {@code command} with extra environment variables; kills it (and reports it) after {@code timeout}. */
    static Result run(List<String> command, Duration timeout, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(new File("/dev/null"));
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        // one reader thread per stream (not the common pool, which has a single thread on a 2-core machine): a
        // command filling its stderr pipe while stdout is read would otherwise block until the timeout
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("command timed out after " + timeout.toSeconds() + " s: "
                    + String.join(" ", command) + "\n" + out.getNow("") + err.getNow(""));
            }
            return new Result(command, p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot read the output of " + String.join(" ", command)
                + " (did it leave a child process holding its output?)", e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("cmd-output").start(() -> text.complete(read(in)));
        return text;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<cannot read output: " + e.getMessage() + ">";
        }
    }
}
