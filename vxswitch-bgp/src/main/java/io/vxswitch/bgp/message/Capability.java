package io.vxswitch.bgp.message;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One capability of an OPEN (RFC 5492): its code and value bytes. Those vxswitch acts on have factories and readers;
 * the rest (graceful restart, FQDN, add-path...) are kept as they came so a log can show them.
 */
public record Capability(int code, byte[] value) {
    public static final int MULTIPROTOCOL = 1;
    public static final int ROUTE_REFRESH = 2;
    public static final int FOUR_OCTET_AS = 65;
    public static final int ENHANCED_ROUTE_REFRESH = 70;

    public Capability {
        if (code < 0 || code > 255 || value.length > 255) {
            throw new IllegalArgumentException("capability code " + code + " with " + value.length + " bytes");
        }
        value = value.clone();
    }

    /** RFC 4760 §8: AFI (2 bytes), reserved, SAFI. */
    public static Capability multiprotocol(AddressFamily family) {
        return new Capability(MULTIPROTOCOL,
                new byte[] {(byte) (family.afi() >>> 8), (byte) family.afi(), 0, (byte) family.safi()});
    }

    public static Capability routeRefresh() {
        return new Capability(ROUTE_REFRESH, new byte[0]);
    }

    /** RFC 6793 §3: the speaker's AS as four octets. */
    public static Capability fourOctetAs(long asn) {
        return new Capability(FOUR_OCTET_AS,
                new byte[] {(byte) (asn >>> 24), (byte) (asn >>> 16), (byte) (asn >>> 8), (byte) asn});
    }

    /** The address family of a multiprotocol capability. */
    public AddressFamily family() {
        if (code != MULTIPROTOCOL || value.length != 4) {
            throw new IllegalStateException("not a multiprotocol capability: " + this);
        }
        return new AddressFamily((value[0] & 0xFF) << 8 | value[1] & 0xFF, value[3] & 0xFF);
    }

    /** The AS of a four-octet-AS capability. */
    public long asn() {
        if (code != FOUR_OCTET_AS || value.length != 4) {
            throw new IllegalStateException("not a four-octet AS capability: " + this);
        }
        return ((value[0] & 0xFFL) << 24) | (value[1] & 0xFF) << 16 | (value[2] & 0xFF) << 8 | value[3] & 0xFF;
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Capability c && c.code == code && Arrays.equals(c.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return switch (code) {
            case MULTIPROTOCOL -> value.length == 4 ? "multiprotocol " + family() : "multiprotocol (bad length)";
            case ROUTE_REFRESH -> "route-refresh";
            case FOUR_OCTET_AS -> value.length == 4 ? "4-octet AS " + asn() : "4-octet AS (bad length)";
            case ENHANCED_ROUTE_REFRESH -> "enhanced route-refresh";
            default -> "capability " + code + (value.length == 0 ? "" : " " + HexFormat.of().formatHex(value));
        };
    }
}
