package io.vxswitch.mgmt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret every API request carries ({@code Authorization: Bearer TOKEN}). Generated at start unless the config
 * gives one, and written to a file only its owner (root) can read, where {@code vxswitch} subcommands on the same
 * host find it.
 */
public final class ApiToken {
    private final byte[] token;

    private ApiToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** The configured token, or 32 random bytes in hex. */
    public static ApiToken of(String configured) {
        if (configured != null) {
            return new ApiToken(configured);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return new ApiToken(HexFormat.of().formatHex(random));
    }

    /** True if {@code presented} is the token; takes the same time wherever the first difference is. */
    public boolean matches(String presented) {
        return presented != null
            && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    public String value() {
        return new String(token, StandardCharsets.UTF_8);
    }

    /** Writes the token to {@code file} with mode 0600 (its folder 0700 if created), replacing any old one. */
    public void writeTo(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            }
            Path tmp = Files.createTempFile(dir, ".api-token", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, value() + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the API token to " + file + ": "
                + io.vxswitch.config.FileErrors.reason(e) + " (set api.tokenFile to a file root can write)", e);
        }
    }
}
