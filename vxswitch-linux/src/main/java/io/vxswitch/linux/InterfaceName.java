package io.vxswitch.linux;

import java.nio.charset.StandardCharsets;

/**
 * The kernel's rules for interface names ({@code dev_valid_name} in net/core/dev.c), checked before any
 * call so the user gets a sentence rather than a truncated name or EINVAL.
 */
public final class InterfaceName {
    /** {@code IFNAMSIZ - 1}: the name and its NUL share 16 bytes. */
    public static final int MAX_LENGTH = 15;

    private InterfaceName() {
    }

    /**
     * @param what how the message calls the name, e.g. {@code tap name}
     * @return {@code name} unchanged
     * @throws IllegalArgumentException naming the rule that is broken
     */
    public static String validate(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " '" + name + "' is " + bytes
                + " bytes long: Linux interface names have at most " + MAX_LENGTH + " (IFNAMSIZ)");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(what + " '" + name + "' is not allowed by Linux");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c > 0x7E || c < 0x21) {
                throw new IllegalArgumentException(what + " '" + name + "' contains '" + printable(c)
                    + "': Linux interface names cannot contain '/', ':', spaces or non-ASCII characters");
            }
        }
        return name;
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7F ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
