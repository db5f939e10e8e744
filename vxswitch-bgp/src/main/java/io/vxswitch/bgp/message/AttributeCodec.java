package io.vxswitch.bgp.message;

import io.vxswitch.bgp.evpn.EvpnRoute;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import static io.vxswitch.bgp.message.NotificationCodes.ATTRIBUTE_FLAGS_ERROR;
import static io.vxswitch.bgp.message.NotificationCodes.ATTRIBUTE_LENGTH_ERROR;
import static io.vxswitch.bgp.message.NotificationCodes.INVALID_ORIGIN;
import static io.vxswitch.bgp.message.NotificationCodes.MALFORMED_AS_PATH;
import static io.vxswitch.bgp.message.NotificationCodes.MALFORMED_ATTRIBUTE_LIST;
import static io.vxswitch.bgp.message.NotificationCodes.OPTIONAL_ATTRIBUTE_ERROR;
import static io.vxswitch.bgp.message.NotificationCodes.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE;
import static io.vxswitch.bgp.message.NotificationCodes.UPDATE_MESSAGE;

/**
 * Path attributes (RFC 4271 §4.3, §5, §6.3): flags, type, length, value. Each error is the one RFC 4271 §6.3 names,
 * with the offending attribute as the NOTIFICATION's data. Written MP_REACH / MP_UNREACH first (RFC 7606 §5.1, so a
 * receiver finds the NLRI even when a later attribute is bad), then in ascending type order (RFC 4271 §5).
 */
final class AttributeCodec {
    static final int OPTIONAL = 0x80;
    static final int TRANSITIVE = 0x40;
    static final int EXTENDED_LENGTH = 0x10;

    static final int ORIGIN = 1;
    static final int AS_PATH = 2;
    static final int NEXT_HOP = 3;
    static final int MED = 4;
    static final int LOCAL_PREF = 5;
    static final int ATOMIC_AGGREGATE = 6;
    static final int AGGREGATOR = 7;
    static final int COMMUNITIES = 8;
    static final int ORIGINATOR_ID = 9;
    static final int CLUSTER_LIST = 10;
    static final int MP_REACH_NLRI = 14;
    static final int MP_UNREACH_NLRI = 15;
    static final int EXTENDED_COMMUNITIES = 16;
    static final int AS4_PATH = 17;
    static final int AS4_AGGREGATOR = 18;
    static final int PMSI_TUNNEL = 22;

    private AttributeCodec() {
    }

    /** The optional and transitive bits a known attribute must carry (RFC 4271 §5 and each attribute's RFC), or -1. */
    static int expectedFlags(int type) {
        return switch (type) {
            case ORIGIN, AS_PATH, NEXT_HOP, LOCAL_PREF, ATOMIC_AGGREGATE -> TRANSITIVE;
            case MED, ORIGINATOR_ID, CLUSTER_LIST, MP_REACH_NLRI, MP_UNREACH_NLRI -> OPTIONAL;
            case AGGREGATOR, COMMUNITIES, EXTENDED_COMMUNITIES, AS4_PATH, AS4_AGGREGATOR, PMSI_TUNNEL -> OPTIONAL | TRANSITIVE;
            default -> -1;
        };
    }

    static PathAttributes read(WireReader list, boolean fourOctetAs) {
        PathAttributes.Builder b = PathAttributes.builder();
        boolean[] seen = new boolean[256];
        while (list.hasRemaining()) {
            int start = list.position();
            int flags = list.u8();
            int type = list.u8();
            int length = (flags & EXTENDED_LENGTH) != 0 ? list.u16() : list.u8();
            WireReader value = list.slice(length, UPDATE_MESSAGE, ATTRIBUTE_LENGTH_ERROR, "attribute " + type);
            byte[] attribute = list.since(start);
            if (seen[type]) {
                throw new BgpException(UPDATE_MESSAGE, MALFORMED_ATTRIBUTE_LIST, attribute,
                        "attribute " + type + " appears twice (RFC 4271 §6.3)");
            }
            seen[type] = true;
            int expected = expectedFlags(type);
            if (expected < 0 && (flags & OPTIONAL) == 0) {
                throw new BgpException(UPDATE_MESSAGE, UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE, attribute,
                        "attribute " + type + " is marked well-known but is not one");
            }
            if (expected >= 0 && (flags & (OPTIONAL | TRANSITIVE)) != expected) {
                throw new BgpException(UPDATE_MESSAGE, ATTRIBUTE_FLAGS_ERROR, attribute, String.format(
                        "attribute %d has flags 0x%02x, expected optional/transitive bits 0x%02x", type, flags, expected));
            }
            try {
                readOne(b, flags, type, value, fourOctetAs);
                if (value.hasRemaining()) {
                    throw value.error(value.remaining() + " bytes left over");
                }
            } catch (BgpException e) {
                throw e.data().length > 0 ? e : new BgpException(e.code(), e.subcode(), attribute, e.getMessage());
            }
        }
        return b.build();
    }

    private static void readOne(PathAttributes.Builder b, int flags, int type, WireReader v, boolean fourOctetAs) {
        switch (type) {
            case ORIGIN -> {
                exactLength(v, 1, "ORIGIN");
                int origin = v.u8();
                if (origin > PathAttributes.ORIGIN_INCOMPLETE) {
                    throw new BgpException(UPDATE_MESSAGE, INVALID_ORIGIN, "ORIGIN " + origin + " is not 0, 1 or 2");
                }
                b.origin(origin);
            }
            case AS_PATH -> b.asPath(asPath(v, fourOctetAs));
            case NEXT_HOP -> {
                exactLength(v, 4, "NEXT_HOP");
                b.nextHop(address(v.bytes(4)));
            }
            case MED -> {
                exactLength(v, 4, "MULTI_EXIT_DISC");
                b.med(v.u32());
            }
            case LOCAL_PREF -> {
                exactLength(v, 4, "LOCAL_PREF");
                b.localPref(v.u32());
            }
            case ATOMIC_AGGREGATE -> {
                exactLength(v, 0, "ATOMIC_AGGREGATE");
                b.atomicAggregate(true);
            }
            case ORIGINATOR_ID -> {
                exactLength(v, 4, "ORIGINATOR_ID");
                b.originatorId(v.u32());
            }
            case CLUSTER_LIST, COMMUNITIES -> {
                multipleOf(v, 4, type == CLUSTER_LIST ? "CLUSTER_LIST" : "COMMUNITIES");
                List<Integer> values = new ArrayList<>();
                while (v.hasRemaining()) {
                    values.add(v.i32());
                }
                if (type == CLUSTER_LIST) {
                    b.clusterList(values);
                } else {
                    b.communities(values);
                }
            }
            case EXTENDED_COMMUNITIES -> {
                multipleOf(v, 8, "EXTENDED_COMMUNITIES");
                while (v.hasRemaining()) {
                    b.extendedCommunity(v.i64());
                }
            }
            case MP_REACH_NLRI -> b.mpReach(mpReach(v));
            case MP_UNREACH_NLRI -> b.mpUnreach(mpUnreach(v));
            case PMSI_TUNNEL -> b.pmsiTunnel(pmsi(v));
            // the Extended Length bit says how this sender wrote the length, not what the attribute is: kept, it made
            // an attribute read, written (always extended) and read again another one (found by MessageCodecFuzzTest)
            default -> b.other(new UnknownAttribute(flags & ~EXTENDED_LENGTH, type, v.bytes(v.remaining())));
        }
    }

    private static List<AsPathSegment> asPath(WireReader v, boolean fourOctetAs) {
        WireReader r = v.slice(v.remaining(), UPDATE_MESSAGE, MALFORMED_AS_PATH, "AS_PATH");
        List<AsPathSegment> segments = new ArrayList<>();
        while (r.hasRemaining()) {
            int type = r.u8();
            int count = r.u8();
            if (type < AsPathSegment.AS_SET || type > AsPathSegment.AS_CONFED_SET || count == 0) {
                throw r.error("segment type " + type + " with " + count + " ASes (RFC 4271 §4.3, RFC 5065)");
            }
            long[] asns = new long[count];
            for (int i = 0; i < count; i++) {
                asns[i] = fourOctetAs ? r.u32() : r.u16();
            }
            segments.add(new AsPathSegment(type, asns));
        }
        return segments;
    }

    private static MpReach mpReach(WireReader v) {
        WireReader r = v.slice(v.remaining(), UPDATE_MESSAGE, OPTIONAL_ATTRIBUTE_ERROR, "MP_REACH_NLRI");
        AddressFamily family = new AddressFamily(r.u16(), r.u8());
        int nextHopLength = r.u8();
        byte[] nextHop = r.bytes(nextHopLength);
        r.u8(); // reserved (RFC 4760 §3: ignored on receipt)
        if (!family.equals(AddressFamily.L2VPN_EVPN)) {
            return new MpReach(family, null, List.of(), r.bytes(r.remaining()).length);
        }
        // RFC 7432 §7 / RFC 8365: an IPv4 (4) or IPv6 (16, or 32 with a link-local) VTEP address.
        if (nextHopLength != 4 && nextHopLength != 16 && nextHopLength != 32) {
            throw r.error("EVPN next hop of " + nextHopLength + " bytes (4, 16 or 32 expected)");
        }
        InetAddress vtep = address(java.util.Arrays.copyOf(nextHop, Math.min(nextHopLength, 16)));
        List<EvpnRoute> routes = EvpnNlriCodec.readAll(r);
        return new MpReach(family, vtep, routes, 0);
    }

    private static MpUnreach mpUnreach(WireReader v) {
        WireReader r = v.slice(v.remaining(), UPDATE_MESSAGE, OPTIONAL_ATTRIBUTE_ERROR, "MP_UNREACH_NLRI");
        AddressFamily family = new AddressFamily(r.u16(), r.u8());
        if (!family.equals(AddressFamily.L2VPN_EVPN)) {
            return new MpUnreach(family, List.of(), r.bytes(r.remaining()).length);
        }
        return new MpUnreach(family, EvpnNlriCodec.readAll(r), 0);
    }

    private static PmsiTunnel pmsi(WireReader v) {
        WireReader r = v.slice(v.remaining(), UPDATE_MESSAGE, ATTRIBUTE_LENGTH_ERROR, "PMSI_TUNNEL");
        int flags = r.u8();
        int tunnelType = r.u8();
        int label = r.u24();
        byte[] id = r.bytes(r.remaining());
        InetAddress endpoint = null;
        if (tunnelType == PmsiTunnel.INGRESS_REPLICATION) {
            if (id.length != 4 && id.length != 16) {
                throw new BgpException(UPDATE_MESSAGE, OPTIONAL_ATTRIBUTE_ERROR,
                        "PMSI_TUNNEL: ingress replication tunnel identifier of " + id.length + " bytes (4 or 16)");
            }
            endpoint = address(id);
        }
        return new PmsiTunnel(flags, tunnelType, label, endpoint);
    }

    private static void exactLength(WireReader v, int length, String name) {
        if (v.remaining() != length) {
            throw new BgpException(UPDATE_MESSAGE, ATTRIBUTE_LENGTH_ERROR,
                    name + " is " + v.remaining() + " bytes long, not " + length);
        }
    }

    private static void multipleOf(WireReader v, int unit, String name) {
        if (v.remaining() % unit != 0) {
            throw new BgpException(UPDATE_MESSAGE, ATTRIBUTE_LENGTH_ERROR,
                    name + " is " + v.remaining() + " bytes long, not a multiple of " + unit);
        }
    }

    static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address of " + bytes.length + " bytes", e);
        }
    }

    static void write(WireWriter w, PathAttributes a, boolean fourOctetAs) {
        if (a.mpReach() != null) {
            MpReach m = a.mpReach();
            if (!m.family().equals(AddressFamily.L2VPN_EVPN) || m.nextHop() == null) {
                // reading keeps only the size of another family's routes: writing them back would invent them (this
                // was a NullPointerException on the missing next hop, found by MessageCodecFuzzTest)
                throw new IllegalArgumentException("MP_REACH_NLRI of " + m.family() + " cannot be written: only L2VPN"
                    + " EVPN routes are kept (another family's are counted, " + m.otherFamilyBytes() + " bytes)");
            }
            attribute(w, MP_REACH_NLRI, v -> {
                byte[] nextHop = m.nextHop().getAddress();
                v.u16(m.family().afi()).u8(m.family().safi()).u8(nextHop.length).bytes(nextHop).u8(0);
                m.routes().forEach(route -> EvpnNlriCodec.write(v, route));
            });
        }
        if (a.mpUnreach() != null) {
            MpUnreach m = a.mpUnreach();
            if (m.otherFamilyBytes() > 0) {
                throw new IllegalArgumentException("MP_UNREACH_NLRI of " + m.family() + " cannot be written: only L2VPN"
                    + " EVPN routes are kept (another family's are counted, " + m.otherFamilyBytes() + " bytes)");
            }
            attribute(w, MP_UNREACH_NLRI, v -> {
                v.u16(m.family().afi()).u8(m.family().safi());
                m.routes().forEach(route -> EvpnNlriCodec.write(v, route));
            });
        }
        if (a.origin() >= 0) {
            attribute(w, ORIGIN, v -> v.u8(a.origin()));
        }
        if (a.asPath() != null) {
            attribute(w, AS_PATH, v -> {
                for (AsPathSegment s : a.asPath()) {
                    v.u8(s.type()).u8(s.length());
                    for (long asn : s.asns()) {
                        if (fourOctetAs) {
                            v.u32(asn);
                        } else {
                            v.u16(asn > 0xFFFF ? Open.AS_TRANS : (int) asn); // RFC 6793 §4.2.2, to an old speaker
                        }
                    }
                }
            });
        }
        if (a.nextHop() != null) {
            attribute(w, NEXT_HOP, v -> v.bytes(a.nextHop().getAddress()));
        }
        if (a.med() >= 0) {
            attribute(w, MED, v -> v.u32(a.med()));
        }
        if (a.localPref() >= 0) {
            attribute(w, LOCAL_PREF, v -> v.u32(a.localPref()));
        }
        if (a.atomicAggregate()) {
            attribute(w, ATOMIC_AGGREGATE, v -> { });
        }
        if (!a.communities().isEmpty()) {
            attribute(w, COMMUNITIES, v -> a.communities().forEach(c -> v.u32(c & 0xFFFF_FFFFL)));
        }
        if (a.originatorId() >= 0) {
            attribute(w, ORIGINATOR_ID, v -> v.u32(a.originatorId()));
        }
        if (!a.clusterList().isEmpty()) {
            attribute(w, CLUSTER_LIST, v -> a.clusterList().forEach(c -> v.u32(c & 0xFFFF_FFFFL)));
        }
        if (!a.extendedCommunities().isEmpty()) {
            attribute(w, EXTENDED_COMMUNITIES, v -> a.extendedCommunities().forEach(v::i64));
        }
        if (a.pmsiTunnel() != null) {
            PmsiTunnel p = a.pmsiTunnel();
            attribute(w, PMSI_TUNNEL, v -> {
                v.u8(p.flags()).u8(p.tunnelType()).u24(p.label());
                if (p.endpoint() != null) {
                    v.bytes(p.endpoint().getAddress());
                }
            });
        }
        for (UnknownAttribute u : a.others()) {
            w.u8(u.flags() | EXTENDED_LENGTH).u8(u.typeCode()).u16(u.value().length).bytes(u.value());
        }
    }

    /**
     * One attribute with its known flags and a two-byte length filled in after the value: RFC 4271 §4.3 allows the
     * extended length at any size (FRR writes AS_PATH so), and one way of writing is one way to test.
     */
    private static void attribute(WireWriter w, int type, java.util.function.Consumer<WireWriter> value) {
        int at = w.position();
        w.u8(expectedFlags(type) | EXTENDED_LENGTH).u8(type).u16(0);
        value.accept(w);
        w.patch16(at + 2, w.position() - at - 4);
    }
}
