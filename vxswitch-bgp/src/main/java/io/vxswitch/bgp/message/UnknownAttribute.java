package io.vxswitch.bgp.message;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A path attribute vxswitch carries but does not interpret: an optional one it does not know (RFC 4271 §5 says
 * to accept it), or a known one it has no use for (AGGREGATOR, AS4_PATH...). Kept with its flags for logs and traces.
 */
public record UnknownAttribute(int flags, int typeCode, byte[] value) {
    public UnknownAttribute {
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownAttribute a && a.flags == flags && a.typeCode == typeCode && Arrays.equals(a.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * flags + typeCode) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "attribute " + typeCode + " flags 0x" + Integer.toHexString(flags) + " " + HexFormat.of().formatHex(value);
    }
}
