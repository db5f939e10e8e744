package io.vxswitch.bgp.evpn;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An EVPN route of a type vxswitch does not act on (1, 4, 5 and unknown ones): received and counted, never
 * installed. RFC 7432 §7 lets a speaker ignore route types it does not support. Its key is its whole value.
 */
public record OpaqueEvpnRoute(int routeType, byte[] value) implements EvpnRoute {
    public OpaqueEvpnRoute {
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The RD when the route type has one in front (1, 4 and 5 do), else null. */
    @Override
    public RouteDistinguisher rd() {
        if (value.length < 8 || routeType < 1 || routeType > 5) {
            return null;
        }
        long v = 0;
        for (int i = 2; i < 8; i++) {
            v = v << 8 | (value[i] & 0xFF);
        }
        return new RouteDistinguisher((value[0] & 0xFF) << 8 | value[1] & 0xFF, v);
    }

    @Override
    public Object key() {
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpaqueEvpnRoute r && r.routeType == routeType && Arrays.equals(r.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * routeType + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "[" + routeType + "]:" + HexFormat.of().formatHex(value);
    }
}
