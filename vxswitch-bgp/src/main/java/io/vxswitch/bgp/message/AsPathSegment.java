package io.vxswitch.bgp.message;

import java.util.Arrays;

/** One AS_PATH segment (RFC 4271 §4.3; RFC 5065 adds the confederation types 3 and 4). */
public record AsPathSegment(int type, long[] asns) {
    public static final int AS_SET = 1;
    public static final int AS_SEQUENCE = 2;
    public static final int AS_CONFED_SEQUENCE = 3;
    public static final int AS_CONFED_SET = 4;

    public AsPathSegment {
        if (type < AS_SET || type > AS_CONFED_SET || asns.length == 0 || asns.length > 255) {
            throw new IllegalArgumentException("AS_PATH segment type " + type + " with " + asns.length + " ASes");
        }
        asns = asns.clone();
    }

    @Override
    public long[] asns() {
        return asns.clone();
    }

    public int length() {
        return asns.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AsPathSegment s && s.type == type && Arrays.equals(s.asns, asns);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(asns);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (long asn : asns) {
            s.append(s.isEmpty() ? "" : " ").append(asn);
        }
        return type == AS_SET ? "{" + s + "}" : type == AS_SEQUENCE ? s.toString() : "(" + s + ")";
    }
}
