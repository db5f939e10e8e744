package io.vxswitch.app.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Which peer and oracle programs this machine has (CI installs them all: .ci/run). */
final class Tools {
    private Tools() {
    }

    /** True if {@code program} is an executable on PATH or in the sbin folders root's PATH usually has. */
    static boolean has(String program) {
        List<String> dirs = new ArrayList<>(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, program)).anyMatch(Files::isExecutable);
    }

    /** Skips the test unless every program is installed. */
    static void assume(String why, String... programs) {
        for (String p : programs) {
            assumeTrue(has(p), why + " needs '" + p + "', which is not installed (apt-get install as in .ci/run) - "
                + "skipped");
        }
    }
}
