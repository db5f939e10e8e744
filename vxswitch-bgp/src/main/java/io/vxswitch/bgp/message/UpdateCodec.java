package io.vxswitch.bgp.message;

import java.util.ArrayList;
import java.util.List;

import static io.vxswitch.bgp.message.NotificationCodes.INVALID_NETWORK_FIELD;
import static io.vxswitch.bgp.message.NotificationCodes.MALFORMED_ATTRIBUTE_LIST;
import static io.vxswitch.bgp.message.NotificationCodes.MISSING_WELL_KNOWN_ATTRIBUTE;
import static io.vxswitch.bgp.message.NotificationCodes.UPDATE_MESSAGE;

/** UPDATE (RFC 4271 §4.3, §6.3): withdrawn routes, path attributes, NLRI, and the well-known attributes required. */
final class UpdateCodec {
    private UpdateCodec() {
    }

    static Update read(WireReader body, boolean fourOctetAs) {
        // RFC 4271 §6.3: lengths that overrun the message are a Malformed Attribute List
        WireReader r = body.slice(body.remaining(), UPDATE_MESSAGE, MALFORMED_ATTRIBUTE_LIST, "UPDATE");
        int withdrawnLength = r.u16();
        WireReader withdrawnField = r.slice(withdrawnLength, UPDATE_MESSAGE, MALFORMED_ATTRIBUTE_LIST, "withdrawn routes");
        int attributesLength = r.u16();
        WireReader attributesField = r.slice(attributesLength, UPDATE_MESSAGE, MALFORMED_ATTRIBUTE_LIST, "path attributes");
        List<Update.Ipv4Prefix> withdrawn = prefixes(withdrawnField);
        PathAttributes attributes = AttributeCodec.read(attributesField, fourOctetAs);
        List<Update.Ipv4Prefix> nlri = prefixes(r);
        boolean reaches = !nlri.isEmpty() || (attributes.mpReach() != null && !attributes.mpReach().routes().isEmpty());
        if (reaches) {
            // RFC 4271 §6.3 / RFC 4760 §3: ORIGIN and AS_PATH with any route; NEXT_HOP with IPv4 NLRI
            require(attributes.origin() >= 0, AttributeCodec.ORIGIN, "ORIGIN");
            require(attributes.asPath() != null, AttributeCodec.AS_PATH, "AS_PATH");
            require(nlri.isEmpty() || attributes.nextHop() != null, AttributeCodec.NEXT_HOP, "NEXT_HOP");
        }
        return new Update(withdrawn, attributes, nlri);
    }

    private static void require(boolean present, int type, String name) {
        if (!present) {
            throw new BgpException(UPDATE_MESSAGE, MISSING_WELL_KNOWN_ATTRIBUTE, new byte[] {(byte) type},
                    "an UPDATE with routes lacks the well-known attribute " + name);
        }
    }

    private static List<Update.Ipv4Prefix> prefixes(WireReader field) {
        WireReader r = field.slice(field.remaining(), UPDATE_MESSAGE, INVALID_NETWORK_FIELD, "IPv4 prefixes");
        List<Update.Ipv4Prefix> out = new ArrayList<>();
        while (r.hasRemaining()) {
            int length = r.u8();
            if (length > 32) {
                throw r.error("IPv4 prefix length " + length);
            }
            int address = 0;
            for (int i = 0; i < (length + 7) / 8; i++) {
                address |= r.u8() << (24 - 8 * i);
            }
            out.add(new Update.Ipv4Prefix(address, length));
        }
        return out;
    }

    static void write(WireWriter w, Update u, boolean fourOctetAs) {
        int at = w.position();
        w.u16(0);
        writePrefixes(w, u.withdrawn());
        w.patch16(at, w.position() - at - 2);
        at = w.position();
        w.u16(0);
        AttributeCodec.write(w, u.attributes(), fourOctetAs);
        w.patch16(at, w.position() - at - 2);
        writePrefixes(w, u.nlri());
    }

    private static void writePrefixes(WireWriter w, List<Update.Ipv4Prefix> prefixes) {
        for (Update.Ipv4Prefix p : prefixes) {
            w.u8(p.length());
            for (int i = 0; i < (p.length() + 7) / 8; i++) {
                w.u8(p.address() >>> (24 - 8 * i));
            }
        }
    }
}
