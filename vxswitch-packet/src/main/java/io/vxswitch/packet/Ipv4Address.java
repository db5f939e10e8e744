package io.vxswitch.packet;

/**
 * Dotted-quad text for IPv4 addresses, which the hot path keeps as {@code int}s (the 32 bits in network
 * order, so {@code 10.0.0.1} is {@code 0x0A000001}). For config, CLI, lab and logs.
 */
public final class Ipv4Address {
    private Ipv4Address() {
    }

    /** The address {@code a.b.c.d}; each octet is masked to 8 bits. */
    public static int of(int a, int b, int c, int d) {
        return ((a & 0xFF) << 24) | ((b & 0xFF) << 16) | ((c & 0xFF) << 8) | (d & 0xFF);
    }

    /**
     * Parses strict dotted-decimal {@code 10.0.0.1}. Leading zeros are refused because
     * {@code inet_aton} reads {@code 010} as octal 8, so accepting them would silently disagree with
     * Linux tools.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static int parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("IPv4 address is missing");
        }
        String t = text.trim();
        int address = 0;
        int octets = 0;
        int i = 0;
        while (true) {
            int start = i;
            int value = 0;
            while (i < t.length() && i - start < 4 && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                value = value * 10 + (t.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3) {
                throw notAnAddress(text, "");
            }
            if (digits > 1 && t.charAt(start) == '0') {
                throw notAnAddress(text, ": octet '" + t.substring(start, i)
                    + "' has a leading zero, which some tools read as octal");
            }
            if (value > 255) {
                throw notAnAddress(text, ": octet " + value + " is above 255");
            }
            address = (address << 8) | value;
            octets++;
            if (octets == 4) {
                if (i != t.length()) {
                    throw notAnAddress(text, "");
                }
                return address;
            }
            if (i >= t.length() || t.charAt(i) != '.') {
                throw notAnAddress(text, "");
            }
            i++;
        }
    }

    private static IllegalArgumentException notAnAddress(String text, String why) {
        return new IllegalArgumentException(
            "not an IPv4 address: '" + text + "'" + why + " (expected 4 decimal octets like 10.0.0.1)");
    }

    /** Dotted-decimal text. */
    public static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
            + (address & 0xFF);
    }

    public static boolean isMulticast(int address) {
        return (address >>> 28) == 0xE; // 224.0.0.0/4 (RFC 5771)
    }

    public static boolean isLimitedBroadcast(int address) {
        return address == 0xFFFF_FFFF;
    }
}
