package io.vxswitch.bgp.message;

/**
 * NOTIFICATION error codes and subcodes: RFC 4271 §4.5 and §6, RFC 5492 (capabilities), RFC 6608 (FSM errors),
 * RFC 4486 / RFC 9003 (Cease), RFC 7313 (ROUTE-REFRESH). Named as the RFCs and tshark name them, so a log line
 * reads like a capture.
 */
public final class NotificationCodes {
    public static final int MESSAGE_HEADER = 1;
    public static final int CONNECTION_NOT_SYNCHRONIZED = 1;
    public static final int BAD_MESSAGE_LENGTH = 2;
    public static final int BAD_MESSAGE_TYPE = 3;

    public static final int OPEN_MESSAGE = 2;
    public static final int UNSUPPORTED_VERSION = 1;
    public static final int BAD_PEER_AS = 2;
    public static final int BAD_BGP_IDENTIFIER = 3;
    public static final int UNSUPPORTED_OPTIONAL_PARAMETER = 4;
    public static final int UNACCEPTABLE_HOLD_TIME = 6;
    public static final int UNSUPPORTED_CAPABILITY = 7;

    public static final int UPDATE_MESSAGE = 3;
    public static final int MALFORMED_ATTRIBUTE_LIST = 1;
    public static final int UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE = 2;
    public static final int MISSING_WELL_KNOWN_ATTRIBUTE = 3;
    public static final int ATTRIBUTE_FLAGS_ERROR = 4;
    public static final int ATTRIBUTE_LENGTH_ERROR = 5;
    public static final int INVALID_ORIGIN = 6;
    public static final int INVALID_NEXT_HOP = 8;
    public static final int OPTIONAL_ATTRIBUTE_ERROR = 9;
    public static final int INVALID_NETWORK_FIELD = 10;
    public static final int MALFORMED_AS_PATH = 11;

    public static final int HOLD_TIMER_EXPIRED = 4;

    public static final int FSM_ERROR = 5;
    public static final int UNEXPECTED_IN_OPEN_SENT = 1;
    public static final int UNEXPECTED_IN_OPEN_CONFIRM = 2;
    public static final int UNEXPECTED_IN_ESTABLISHED = 3;

    public static final int CEASE = 6;
    public static final int ADMINISTRATIVE_SHUTDOWN = 2;
    public static final int PEER_DECONFIGURED = 3;
    public static final int ADMINISTRATIVE_RESET = 4;
    public static final int OUT_OF_RESOURCES = 8;

    public static final int ROUTE_REFRESH_MESSAGE = 7;
    public static final int INVALID_MESSAGE_LENGTH = 1;

    private static final String[] CODES = {"unknown error", "Message Header Error", "OPEN Message Error",
            "UPDATE Message Error", "Hold Timer Expired", "Finite State Machine Error", "Cease",
            "ROUTE-REFRESH Message Error"};
    private static final String[][] SUBCODES = {
            {},
            {"", "Connection Not Synchronized", "Bad Message Length", "Bad Message Type"},
            {"", "Unsupported Version Number", "Bad Peer AS", "Bad BGP Identifier", "Unsupported Optional Parameter",
                    "", "Unacceptable Hold Time", "Unsupported Capability"},
            {"", "Malformed Attribute List", "Unrecognized Well-known Attribute", "Missing Well-known Attribute",
                    "Attribute Flags Error", "Attribute Length Error", "Invalid ORIGIN Attribute", "",
                    "Invalid NEXT_HOP Attribute", "Optional Attribute Error", "Invalid Network Field",
                    "Malformed AS_PATH"},
            {},
            {"Unspecified Error", "Receive Unexpected Message in OpenSent State",
                    "Receive Unexpected Message in OpenConfirm State",
                    "Receive Unexpected Message in Established State"},
            {"", "Maximum Number of Prefixes Reached", "Administrative Shutdown", "Peer De-configured",
                    "Administrative Reset", "Connection Rejected", "Other Configuration Change",
                    "Connection Collision Resolution", "Out of Resources", "Hard Reset", "BFD Down"},
            {"", "Invalid Message Length"},
    };

    private NotificationCodes() {
    }

    /** "UPDATE Message Error / Malformed AS_PATH", or the numbers when a peer sends codes this table does not know. */
    public static String describe(int code, int subcode) {
        String c = code >= 0 && code < CODES.length && code > 0 ? CODES[code] : "error code " + code;
        String s = code > 0 && code < SUBCODES.length && subcode >= 0 && subcode < SUBCODES[code].length
                && !SUBCODES[code][subcode].isEmpty() ? SUBCODES[code][subcode] : null;
        if (s == null) {
            return subcode == 0 ? c : c + " / subcode " + subcode;
        }
        return c + " / " + s;
    }
}
