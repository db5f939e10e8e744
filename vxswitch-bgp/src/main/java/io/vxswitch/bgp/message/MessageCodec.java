package io.vxswitch.bgp.message;

import static io.vxswitch.bgp.message.NotificationCodes.BAD_MESSAGE_LENGTH;
import static io.vxswitch.bgp.message.NotificationCodes.BAD_MESSAGE_TYPE;
import static io.vxswitch.bgp.message.NotificationCodes.CONNECTION_NOT_SYNCHRONIZED;
import static io.vxswitch.bgp.message.NotificationCodes.INVALID_MESSAGE_LENGTH;
import static io.vxswitch.bgp.message.NotificationCodes.MESSAGE_HEADER;
import static io.vxswitch.bgp.message.NotificationCodes.ROUTE_REFRESH_MESSAGE;

/**
 * BGP messages to and from bytes (RFC 4271 §4.1: a 16-byte marker of ones, a length, a type). {@link #frame} finds
 * one message in a TCP byte stream and checks its header; {@link #decode} and {@link #encode} do the rest. Whether
 * AS numbers in AS_PATH take two or four octets is negotiated (RFC 6793), so a codec exists per session state.
 */
public final class MessageCodec {
    public static final int HEADER_LENGTH = 19;
    /** RFC 4271 §4.1; vxswitch does not offer RFC 8654's extended messages. */
    public static final int MAX_LENGTH = 4096;
    private static final int[] MIN_LENGTH = {0, 29, 23, 21, 19, 23};

    private final boolean fourOctetAs;

    private MessageCodec(boolean fourOctetAs) {
        this.fourOctetAs = fourOctetAs;
    }

    /** Before OPENs are exchanged, and with a peer that supports 4-octet AS numbers. */
    public static final MessageCodec FOUR_OCTET_AS = new MessageCodec(true);
    /** With a peer that did not offer the 4-octet AS capability. */
    public static final MessageCodec TWO_OCTET_AS = new MessageCodec(false);

    /**
     * The length of the message that starts at {@code offset}, once its header is there; 0 while fewer than 19 bytes
     * have arrived. The length may exceed {@code available}: wait for the rest.
     *
     * @throws BgpException Message Header Error (RFC 4271 §6.1) for a bad marker, length or type
     */
    public static int frame(byte[] bytes, int offset, int available) {
        if (available < HEADER_LENGTH) {
            return 0;
        }
        for (int i = 0; i < 16; i++) {
            if (bytes[offset + i] != (byte) 0xFF) {
                throw new BgpException(MESSAGE_HEADER, CONNECTION_NOT_SYNCHRONIZED,
                        "the marker is not sixteen 0xff bytes: the stream is out of step or not BGP");
            }
        }
        int length = (bytes[offset + 16] & 0xFF) << 8 | bytes[offset + 17] & 0xFF;
        int type = bytes[offset + 18] & 0xFF;
        byte[] lengthField = {bytes[offset + 16], bytes[offset + 17]};
        if (type < BgpMessage.OPEN || type > BgpMessage.ROUTE_REFRESH) {
            throw new BgpException(MESSAGE_HEADER, BAD_MESSAGE_TYPE, new byte[] {(byte) type}, "message type " + type);
        }
        boolean exact = type == BgpMessage.KEEPALIVE;
        if (length < MIN_LENGTH[type] || length > MAX_LENGTH || (exact && length != HEADER_LENGTH)) {
            throw new BgpException(MESSAGE_HEADER, BAD_MESSAGE_LENGTH, lengthField,
                    BgpMessage.typeName(type) + " of length " + length + " (at least " + MIN_LENGTH[type] + ", at most "
                            + MAX_LENGTH + ")");
        }
        return length;
    }

    /** Decodes one whole message, header included, as {@link #frame} found it. */
    public BgpMessage decode(byte[] bytes, int offset, int length) {
        int type = bytes[offset + 18] & 0xFF;
        WireReader body = new WireReader(bytes, offset + HEADER_LENGTH, length - HEADER_LENGTH, MESSAGE_HEADER,
                BAD_MESSAGE_LENGTH, BgpMessage.typeName(type));
        return switch (type) {
            case BgpMessage.OPEN -> OpenCodec.read(body);
            case BgpMessage.UPDATE -> UpdateCodec.read(body, fourOctetAs);
            case BgpMessage.NOTIFICATION -> new Notification(body.u8(), body.u8(), body.bytes(body.remaining()));
            case BgpMessage.KEEPALIVE -> Keepalive.INSTANCE;
            case BgpMessage.ROUTE_REFRESH -> {
                if (length != 23) {
                    throw new BgpException(ROUTE_REFRESH_MESSAGE, INVALID_MESSAGE_LENGTH,
                            "ROUTE-REFRESH of length " + length + " (RFC 7313 §5: 23)");
                }
                int afi = body.u16();
                int subtype = body.u8();
                yield new RouteRefresh(new AddressFamily(afi, body.u8()), subtype);
            }
            default -> throw new BgpException(MESSAGE_HEADER, BAD_MESSAGE_TYPE, new byte[] {(byte) type},
                    "message type " + type);
        };
    }

    /** Frames and decodes one message that fills {@code bytes}: for tests and captures. */
    public BgpMessage decode(byte[] bytes) {
        int length = frame(bytes, 0, bytes.length);
        if (length != bytes.length) {
            throw new BgpException(MESSAGE_HEADER, BAD_MESSAGE_LENGTH, "header says " + length + " bytes, have " + bytes.length);
        }
        return decode(bytes, 0, length);
    }

    /**
     * The message's bytes, header included.
     *
     * @throws IllegalArgumentException if it would exceed 4096 bytes (an UPDATE packer must split before that), or if
     *                                  it carries another address family's routes, which {@link #decode} only counts
     */
    public byte[] encode(BgpMessage message) {
        WireWriter w = new WireWriter();
        for (int i = 0; i < 16; i++) {
            w.u8(0xFF);
        }
        w.u16(0).u8(message.type());
        switch (message) {
            case Open o -> OpenCodec.write(w, o);
            case Update u -> UpdateCodec.write(w, u, fourOctetAs);
            case Notification n -> w.u8(n.code()).u8(n.subcode()).bytes(n.data());
            case Keepalive k -> {
            }
            case RouteRefresh r -> w.u16(r.family().afi()).u8(r.subtype()).u8(r.family().safi());
        }
        if (w.position() > MAX_LENGTH) {
            throw new IllegalArgumentException(BgpMessage.typeName(message.type()) + " of " + w.position()
                    + " bytes exceeds BGP's 4096");
        }
        w.patch16(16, w.position());
        return w.toBytes();
    }

    /** The bytes one EVPN route adds to an MP_REACH / MP_UNREACH. */
    public static int encodedLength(io.vxswitch.bgp.evpn.EvpnRoute route) {
        return EvpnNlriCodec.length(route);
    }
}
