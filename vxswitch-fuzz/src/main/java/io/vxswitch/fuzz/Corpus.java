package io.vxswitch.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A fuzz target's committed corpus: the inputs {@code scripts/fuzz.sh --save} kept from fuzzing, in the test
 * resources next to the test class as {@code <TestClass>Corpus/}. Replayed in one plain test per target, because
 * Jazzer's own regression mode makes each input of {@code <TestClass>Inputs/<method>/} a test invocation of its own,
 * which at thousands of inputs costs more in JUnit than in the target. That directory holds findings only (Jazzer
 * writes a crashing input there), each a named regression test.
 */
public final class Corpus {
    private Corpus() {
    }

    /** The corpus and the findings of {@code test}, every file, in name order. */
    public static List<Path> files(Class<?> test) {
        List<Path> out = new ArrayList<>();
        out.addAll(list(test, test.getSimpleName() + "Corpus"));
        out.addAll(findings(test));
        return out;
    }

    /** Runs {@code target} on every input; a failure names the input, to copy into the Inputs directory and debug. */
    public static int replay(Class<?> test, Consumer<byte[]> target) {
        List<Path> files = files(test);
        for (Path file : files) {
            byte[] input = read(file);
            try {
                target.accept(input);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("corpus input " + file + " fails: " + e, e);
            }
        }
        return files.size();
    }

    public static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> findings(Class<?> test) {
        Path inputs = directory(test, test.getSimpleName() + "Inputs");
        if (inputs == null) {
            return List.of();
        }
        try (Stream<Path> methods = Files.list(inputs)) {
            List<Path> out = new ArrayList<>();
            for (Path m : methods.sorted().toList()) {
                out.addAll(sorted(m));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> list(Class<?> test, String name) {
        Path dir = directory(test, name);
        return dir == null ? List.of() : sorted(dir);
    }

    private static List<Path> sorted(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directory(Class<?> test, String name) {
        URL url = test.getResource(name);
        if (url == null) {
            return null;
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
