package io.vxswitch.bgp.message;

import java.util.ArrayList;
import java.util.List;

import static io.vxswitch.bgp.message.NotificationCodes.BAD_BGP_IDENTIFIER;
import static io.vxswitch.bgp.message.NotificationCodes.OPEN_MESSAGE;
import static io.vxswitch.bgp.message.NotificationCodes.UNACCEPTABLE_HOLD_TIME;
import static io.vxswitch.bgp.message.NotificationCodes.UNSUPPORTED_OPTIONAL_PARAMETER;
import static io.vxswitch.bgp.message.NotificationCodes.UNSUPPORTED_VERSION;

/**
 * OPEN (RFC 4271 §4.2, §6.2) and its optional parameters: capabilities (RFC 5492), in the original one-byte
 * length form or RFC 9072's extended form (a speaker with many capabilities sends that).
 */
final class OpenCodec {
    private static final int CAPABILITIES_PARAMETER = 2;
    private static final int EXTENDED_PARAMETERS = 255;

    private OpenCodec() {
    }

    static Open read(WireReader r) {
        int version = r.u8();
        if (version != Open.VERSION) {
            // RFC 4271 §6.2: the data field is the largest version this speaker supports
            throw new BgpException(OPEN_MESSAGE, UNSUPPORTED_VERSION, new byte[] {0, Open.VERSION},
                    "BGP version " + version + ", vxswitch speaks version 4");
        }
        int asField = r.u16();
        int holdTime = r.u16();
        if (holdTime == 1 || holdTime == 2) {
            throw new BgpException(OPEN_MESSAGE, UNACCEPTABLE_HOLD_TIME,
                    "hold time " + holdTime + " s (RFC 4271 §4.2: 0 or at least 3)");
        }
        int bgpIdentifier = r.i32();
        if (bgpIdentifier == 0) {
            throw new BgpException(OPEN_MESSAGE, BAD_BGP_IDENTIFIER, "BGP identifier 0.0.0.0 (RFC 6286 §2.2)");
        }
        int parametersLength = r.u8();
        boolean extended = false;
        // RFC 9072 §2: length 255 followed by type 255 announces two-byte lengths
        if (parametersLength == EXTENDED_PARAMETERS && r.remaining() >= 3 && r.peekU8() == EXTENDED_PARAMETERS) {
            r.u8();
            parametersLength = r.u16();
            extended = true;
        }
        WireReader parameters = r.slice(parametersLength, OPEN_MESSAGE, 0, "OPEN optional parameters");
        if (r.hasRemaining()) {
            throw r.error(r.remaining() + " bytes after the optional parameters");
        }
        List<Capability> capabilities = new ArrayList<>();
        while (parameters.hasRemaining()) {
            int type = parameters.u8();
            int length = extended ? parameters.u16() : parameters.u8();
            WireReader value = parameters.slice(length, OPEN_MESSAGE, 0, "OPEN optional parameter " + type);
            if (type != CAPABILITIES_PARAMETER) {
                throw new BgpException(OPEN_MESSAGE, UNSUPPORTED_OPTIONAL_PARAMETER,
                        "optional parameter type " + type + " (only capabilities, type 2, are defined)");
            }
            while (value.hasRemaining()) {
                int code = value.u8();
                int capabilityLength = value.u8();
                capabilities.add(new Capability(code, value.bytes(capabilityLength)));
            }
        }
        return new Open(version, asField, holdTime, bgpIdentifier, capabilities);
    }

    static void write(WireWriter w, Open open) {
        w.u8(open.version()).u16(open.asField()).u16(open.holdTime()).u32(open.bgpIdentifier() & 0xFFFF_FFFFL);
        int lengthAt = w.position();
        w.u8(0);
        for (Capability c : open.capabilities()) {
            // one capability per parameter, as FRR and GoBGP write them
            w.u8(CAPABILITIES_PARAMETER).u8(2 + c.value().length).u8(c.code()).u8(c.value().length).bytes(c.value());
        }
        int length = w.position() - lengthAt - 1;
        if (length > 254) {
            throw new IllegalArgumentException("OPEN with " + length + " bytes of capabilities");
        }
        w.patch8(lengthAt, length);
    }
}
