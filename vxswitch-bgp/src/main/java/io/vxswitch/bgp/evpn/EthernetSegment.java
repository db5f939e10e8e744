package io.vxswitch.bgp.evpn;

/**
 * An Ethernet Segment Identifier (RFC 7432 §5): 10 bytes, kept as the first eight and the last two. vxswitch hosts
 * are single-homed (ESI 0); a multihomed peer's ESI is carried through and shown, not acted on.
 */
public record EthernetSegment(long high, int low) {
    public static final EthernetSegment SINGLE_HOMED = new EthernetSegment(0, 0);

    public EthernetSegment {
        if ((low & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("ESI low 16 bits " + low);
        }
    }

    public boolean singleHomed() {
        return high == 0 && low == 0;
    }

    @Override
    public String toString() {
        if (singleHomed()) {
            return "0";
        }
        StringBuilder s = new StringBuilder(29);
        for (int i = 7; i >= 0; i--) {
            s.append(String.format("%02x:", (high >>> (8 * i)) & 0xFF));
        }
        return s.append(String.format("%02x:%02x", low >>> 8, low & 0xFF)).toString();
    }
}
