package io.vxswitch.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Why a file failed, in words, whatever kind of IOException Java threw. */
class FileErrorsTest {
    @Test
    void each_failure_is_told_by_its_reason_not_its_path_or_class(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThat(FileErrors.reason(catchThrowableOfType(IOException.class,
            () -> Files.readString(dir.resolve("none"))))).isEqualTo("no such file or directory");
        assertThat(FileErrors.reason(catchThrowableOfType(IOException.class,
            () -> Files.createDirectories(file.resolve("sub"))))).isEqualTo("not a directory");
        assertThat(FileErrors.reason(catchThrowableOfType(IOException.class,
            () -> Files.readString(dir)))).isEqualTo("is a directory");
        assertThat(FileErrors.reason(catchThrowableOfType(IOException.class,
            () -> new FileOutputStream(dir.resolve("none/f").toFile()).close()))).isEqualTo("no such file or directory");
        assertThat(FileErrors.reason(new IOException())).isEqualTo("input/output error");
    }
}
