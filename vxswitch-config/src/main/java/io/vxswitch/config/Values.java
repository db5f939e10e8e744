package io.vxswitch.config;

import io.vxswitch.config.YamlValue.Scalar;
import io.vxswitch.config.YamlValue.YamlList;
import io.vxswitch.config.YamlValue.YamlMap;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads typed values out of YAML nodes. Every method takes {@code what}, the human name of the value
 * ("port group 'vlan119': macLearning.limit"), and fails with the node's position, that name, what is
 * expected and what was found.
 */
public final class Values {
    /** Names of nodes and ports: no spaces, no ':' (it separates node and port in link ends). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");

    private Values() {
    }

    public static YamlMap map(YamlValue v, String what) {
        if (v instanceof YamlMap m) {
            return m;
        }
        throw v.where().error(what + " must be a mapping (key: value lines), got " + v.describe());
    }

    public static List<YamlValue> list(YamlValue v, String what) {
        if (v instanceof YamlList l) {
            return l.items();
        }
        if (v instanceof Scalar s && s.text() == null) {
            return List.of();
        }
        throw v.where().error(what + " must be a list (lines starting with '- '), got " + v.describe());
    }

    public static String text(YamlValue v, String what) {
        if (v instanceof Scalar s && s.text() != null && !s.text().isBlank()) {
            return s.text().trim();
        }
        throw v.where().error(what + " must be a value, got " + v.describe());
    }

    public static String name(YamlValue v, String what) {
        String t = text(v, what);
        if (!NAME.matcher(t).matches()) {
            throw v.where().error(what + " must be a name of letters, digits and . _ / - (no spaces or ':'), got '"
                + t + "'");
        }
        return t;
    }

    public static int integer(YamlValue v, String what, int min, int max) {
        String t = text(v, what);
        try {
            int n = Integer.parseInt(t);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected range
        }
        throw v.where().error(what + " must be a whole number from " + min + " to " + max + ", got '" + t + "'");
    }

    public static boolean bool(YamlValue v, String what) {
        String t = text(v, what);
        return switch (t) {
            case "true" -> true;
            case "false" -> false;
            default -> throw v.where().error(what + " must be true or false, got '" + t + "'");
        };
    }

    public static long mac(YamlValue v, String what) {
        String t = text(v, what);
        try {
            long mac = MacAddress.parseBits(t);
            if (MacAddress.isMulticast(mac)) {
                throw v.where().error(what + " must be a unicast MAC (the first octet even), got '" + t + "'");
            }
            return mac;
        } catch (IllegalArgumentException e) {
            throw v.where().error(what + " must be a MAC address like 00:50:56:00:01:01, got '" + t + "'");
        }
    }

    public static int ipv4(YamlValue v, String what) {
        String t = text(v, what);
        try {
            return Ipv4Address.parse(t);
        } catch (IllegalArgumentException e) {
            throw v.where().error(what + " must be an IPv4 address like 10.0.0.3, got '" + t + "'");
        }
    }

    /** {@code 10.0.0.1/24}: the host address and its prefix length. */
    public static int[] ipv4Prefix(YamlValue v, String what) {
        String t = text(v, what);
        int slash = t.indexOf('/');
        try {
            if (slash > 0) {
                int prefix = Integer.parseInt(t.substring(slash + 1));
                if (prefix >= 0 && prefix <= 32) {
                    return new int[] {Ipv4Address.parse(t.substring(0, slash)), prefix};
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw v.where().error(what + " must be an address with prefix length like 10.0.0.1/24, got '" + t + "'");
    }

    /**
     * A rate in bits per second with its unit, as {@code tc} writes it: {@code 500kbit}, {@code 100mbit},
     * {@code 2.5gbit} (k, m, g, t are powers of 1000; {@code /s} may follow). A plain number is refused: {@code tc}
     * reads it as bytes per second, vSphere as bits, and {@code mbps} is as ambiguous.
     */
    public static long bitRate(YamlValue v, String what) {
        String t = text(v, what);
        long bits = parseScaled(t, RATE_UNITS, "/s");
        if (bits < 0) {
            throw v.where().error(what + " must be a rate in bits per second with its unit, like 500kbit, 100mbit or "
                + "1gbit (k, m, g = 1000), got '" + t + "'");
        }
        return bits;
    }

    /**
     * A size in bytes: a plain number of bytes, or with a unit as {@code tc} writes sizes: {@code 64k}, {@code 1m},
     * {@code 1.5m} (k, m, g are powers of 1024; {@code kb}, {@code kib} and the like mean the same).
     */
    public static long byteSize(YamlValue v, String what) {
        String t = text(v, what);
        long bytes = parseScaled(t, SIZE_UNITS, "");
        if (bytes < 0) {
            throw v.where().error(what + " must be a size in bytes, like 65536, 64k or 1m (k = 1024 bytes, m = 1024 k),"
                + " got '" + t + "'");
        }
        return bytes;
    }

    private static final String[][] RATE_UNITS = {{"tbit", "1000000000000"}, {"gbit", "1000000000"},
        {"mbit", "1000000"}, {"kbit", "1000"}, {"bit", "1"}};
    private static final String[][] SIZE_UNITS = {{"kib", "1024"}, {"mib", "1048576"}, {"gib", "1073741824"},
        {"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1024"}, {"m", "1048576"},
        {"g", "1073741824"}, {"b", "1"}, {"", "1"}};

    /**
     * A non-negative whole number of base units from {@code text} (a number and one of {@code units}, longest
     * first, then {@code optionalTail}), or -1. Only the units listed are taken; case does not matter.
     */
    private static long parseScaled(String text, String[][] units, String optionalTail) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (!optionalTail.isEmpty() && t.endsWith(optionalTail)) {
            t = t.substring(0, t.length() - optionalTail.length());
        }
        for (String[] u : units) {
            if (!t.endsWith(u[0])) {
                continue;
            }
            String number = t.substring(0, t.length() - u[0].length()).trim();
            if (number.isEmpty() || !number.matches("[0-9]+(\\.[0-9]+)?")) {
                return -1; // "100mbps" ends in no unit; "-5k", "1e6" and "0x10" are not sizes either
            }
            try {
                BigDecimal n = new BigDecimal(number).multiply(new BigDecimal(u[1]));
                if (n.stripTrailingZeros().scale() > 0) {
                    return -1;
                }
                return n.longValueExact();
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return -1;
    }

    /** A duration with a unit: {@code 250ns}, {@code 50us} (or {@code 50µs}), {@code 1.5ms}, {@code 1s}. */
    public static long durationNanos(YamlValue v, String what) {
        String t = text(v, what);
        long nanos = parseDuration(t);
        if (nanos < 0) {
            throw v.where().error(what + " must be a duration like 50us, 1ms or 1s, got '" + t + "'");
        }
        return nanos;
    }

    /** Nanoseconds, or -1 if {@code text} is not a non-negative duration with a unit. */
    public static long parseDuration(String text) {
        String t = text.trim();
        // Longest suffixes first: "ms" must not be read as "m" plus seconds.
        String[][] units = {{"ns", "1"}, {"us", "1000"}, {"µs", "1000"}, {"ms", "1000000"}, {"s", "1000000000"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                String number = t.substring(0, t.length() - u[0].length()).trim();
                try {
                    BigDecimal n = new BigDecimal(number).multiply(new BigDecimal(u[1]));
                    if (n.signum() < 0 || n.stripTrailingZeros().scale() > 0) {
                        return -1;
                    }
                    return n.longValueExact();
                } catch (NumberFormatException | ArithmeticException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
