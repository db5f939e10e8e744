package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/**
 * A 48-bit IEEE 802 MAC address. The hot path keeps MACs as the low 48 bits of a {@code long}
 * and uses the static methods; the record is for the edges (config, CLI, API, tests).
 */
public record MacAddress(long bits) implements Comparable<MacAddress> {
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    public static final long MASK = 0xFFFF_FFFF_FFFFL;
    /** The I/G bit: the least significant bit of the first octet (IEEE 802-2014 §8.2). */
    private static final long GROUP_BIT = 1L << 40;
    /** The U/L bit: set in locally administered addresses. */
    private static final long LOCAL_BIT = 1L << 41;

    public MacAddress {
        if ((bits & ~MASK) != 0) {
            throw new IllegalArgumentException("MAC address has more than 48 bits: 0x" + Long.toHexString(bits));
        }
    }

    public static MacAddress of(long bits) {
        return new MacAddress(bits);
    }

    /** Group (multicast or broadcast) addresses have the I/G bit set. */
    public static boolean isMulticast(long mac) {
        return (mac & GROUP_BIT) != 0;
    }

    public static boolean isBroadcast(long mac) {
        return mac == BROADCAST;
    }

    public static boolean isUnicast(long mac) {
        return (mac & GROUP_BIT) == 0;
    }

    public static boolean isLocallyAdministered(long mac) {
        return (mac & LOCAL_BIT) != 0;
    }

    public static long read(MemorySegment s, long offset) {
        return Wire.u48(s, offset);
    }

    public static void write(MemorySegment s, long offset, long mac) {
        Wire.putU48(s, offset, mac);
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff}, {@code aa-bb-cc-dd-ee-ff} or {@code aabb.ccdd.eeff} (Cisco), case-insensitive.
     *
     * @throws IllegalArgumentException with the offending text and the accepted forms
     */
    public static MacAddress parse(String text) {
        return new MacAddress(parseBits(text));
    }

    public static long parseBits(String text) {
        if (text == null) {
            throw new IllegalArgumentException("MAC address is missing");
        }
        String t = text.trim();
        String hex;
        if (t.length() == 17 && (separatedBy(t, ':') || separatedBy(t, '-'))) {
            hex = t.substring(0, 2) + t.substring(3, 5) + t.substring(6, 8) + t.substring(9, 11)
                + t.substring(12, 14) + t.substring(15, 17);
        } else if (t.length() == 14 && t.charAt(4) == '.' && t.charAt(9) == '.') {
            hex = t.substring(0, 4) + t.substring(5, 9) + t.substring(10, 14);
        } else {
            hex = null;
        }
        if (hex == null || !isHex(hex)) {
            throw new IllegalArgumentException(
                "not a MAC address: '" + text + "' (expected 6 hex octets like 00:50:56:aa:bb:01)");
        }
        return Long.parseLong(hex, 16);
    }

    private static boolean separatedBy(String t, char sep) {
        for (int i = 2; i < 17; i += 3) {
            if (t.charAt(i) != sep) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Formats as lower-case colon-separated octets, as iproute2 prints them. */
    public static String format(long mac) {
        char[] out = new char[17];
        for (int i = 0; i < 6; i++) {
            int octet = (int) (mac >>> (40 - 8 * i)) & 0xFF;
            out[i * 3] = Character.forDigit(octet >>> 4, 16);
            out[i * 3 + 1] = Character.forDigit(octet & 0xF, 16);
            if (i < 5) {
                out[i * 3 + 2] = ':';
            }
        }
        return new String(out);
    }

    public boolean multicast() {
        return isMulticast(bits);
    }

    @Override
    public int compareTo(MacAddress o) {
        return Long.compare(bits, o.bits);
    }

    @Override
    public String toString() {
        return format(bits);
    }
}
