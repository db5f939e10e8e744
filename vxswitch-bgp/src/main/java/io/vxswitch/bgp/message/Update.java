package io.vxswitch.bgp.message;

import java.util.List;

/**
 * UPDATE (RFC 4271 §4.3). EVPN routes travel inside the attributes (MP_REACH / MP_UNREACH); the IPv4 withdrawn
 * routes and NLRI fields of BGP-4 are decoded for completeness as {@code address/length} pairs.
 */
public record Update(List<Ipv4Prefix> withdrawn, PathAttributes attributes, List<Ipv4Prefix> nlri) implements BgpMessage {
    public Update {
        withdrawn = List.copyOf(withdrawn);
        nlri = List.copyOf(nlri);
    }

    public static Update of(PathAttributes attributes) {
        return new Update(List.of(), attributes, List.of());
    }

    /** RFC 4724 §2: the End-of-RIB marker of L2VPN EVPN, an UPDATE with only an empty MP_UNREACH_NLRI. */
    public static Update endOfRib(AddressFamily family) {
        return of(PathAttributes.builder().mpUnreach(new MpUnreach(family, List.of(), 0)).build());
    }

    public boolean isEndOfRib() {
        PathAttributes a = attributes;
        if (!withdrawn.isEmpty() || !nlri.isEmpty()) {
            return false;
        }
        if (a.isEmpty()) {
            return true; // IPv4 unicast's End-of-RIB
        }
        return a.mpUnreach() != null && a.mpUnreach().routes().isEmpty() && a.mpUnreach().otherFamilyBytes() == 0
                && a.equals(PathAttributes.builder().mpUnreach(a.mpUnreach()).build());
    }

    @Override
    public int type() {
        return UPDATE;
    }

    /** An IPv4 prefix of BGP-4's own NLRI fields. */
    public record Ipv4Prefix(int address, int length) {
        @Override
        public String toString() {
            return io.vxswitch.packet.Ipv4Address.format(address) + "/" + length;
        }
    }
}
