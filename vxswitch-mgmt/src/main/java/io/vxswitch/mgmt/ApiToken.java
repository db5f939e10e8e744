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
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY_DIR =
        PosixFilePermissions.fromString("rwx------");

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

    /**
     * Writes the token to {@code file} with mode 0600, replacing any old one; never readable by anyone else on the
     * way (written to a 0600 temporary file, then moved). Its folder: created 0700 if missing, and vxswitch's own
     * {@code /run/vxswitch} set back to 0700 if someone opened it up. Another existing folder is the operator's: its
     * mode is left alone and {@link #directoryWarning} says what is wrong with it.
     */
    public void writeTo(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            } else if (dir.equals(ApiOptions.DEFAULT_TOKEN_FILE.getParent())
                && !Files.getPosixFilePermissions(dir).equals(OWNER_ONLY_DIR)) {
                Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
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

    /**
     * Why the folder of {@code file} is not a good home for a token, or null if only its owner can open it (0700).
     * The token file itself is 0600 either way; in a folder others can open, they see it exists, and in one they
     * can write to, they can replace it with a token of their own choosing for the CLI to send.
     */
    public static String directoryWarning(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
            if (mode.equals(OWNER_ONLY_DIR)) {
                return null;
            }
            return "the API token is in " + dir + ", which other users can open (mode "
                + PosixFilePermissions.toString(mode) + "); keep it in a folder only root can open: chmod 700 " + dir
                + ", or leave api.tokenFile at its default " + ApiOptions.DEFAULT_TOKEN_FILE;
        } catch (IOException | UnsupportedOperationException e) {
            return null; // no POSIX modes to judge
        }
    }
}
