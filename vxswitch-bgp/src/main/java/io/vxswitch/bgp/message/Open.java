package io.vxswitch.bgp.message;

import java.util.List;

/**
 * OPEN (RFC 4271 §4.2) with its capabilities (RFC 5492). {@code asField} is the 2-octet "My Autonomous System"
 * field, AS_TRANS (23456) when the speaker's AS needs four octets (RFC 6793): {@link #asn()} is the real one.
 */
public record Open(int version, int asField, int holdTime, int bgpIdentifier, List<Capability> capabilities)
        implements BgpMessage {
    public static final int VERSION = 4;
    public static final int AS_TRANS = 23456;

    public Open {
        capabilities = List.copyOf(capabilities);
    }

    /** An OPEN for {@code asn}, with AS_TRANS in the 2-octet field when the AS does not fit. */
    public static Open of(long asn, int holdTime, int bgpIdentifier, List<Capability> capabilities) {
        return new Open(VERSION, asn > 0xFFFF ? AS_TRANS : (int) asn, holdTime, bgpIdentifier, capabilities);
    }

    @Override
    public int type() {
        return OPEN;
    }

    /** The speaker's AS: the four-octet capability's when present, else the 2-octet field. */
    public long asn() {
        for (Capability c : capabilities) {
            if (c.code() == Capability.FOUR_OCTET_AS && c.value().length == 4) {
                return c.asn();
            }
        }
        return asField;
    }

    public boolean has(int capabilityCode) {
        return capabilities.stream().anyMatch(c -> c.code() == capabilityCode);
    }

    public boolean supports(AddressFamily family) {
        return capabilities.stream().anyMatch(c -> c.code() == Capability.MULTIPROTOCOL && c.value().length == 4
                && c.family().equals(family));
    }
}
