package io.vxswitch.bgp.message;

/** One BGP message (RFC 4271 §4): what the codec reads from and writes to a session's byte stream. */
public sealed interface BgpMessage permits Open, Update, Notification, Keepalive, RouteRefresh {
    int OPEN = 1;
    int UPDATE = 2;
    int NOTIFICATION = 3;
    int KEEPALIVE = 4;
    int ROUTE_REFRESH = 5;

    /** The type code in the header. */
    int type();

    static String typeName(int type) {
        return switch (type) {
            case OPEN -> "OPEN";
            case UPDATE -> "UPDATE";
            case NOTIFICATION -> "NOTIFICATION";
            case KEEPALIVE -> "KEEPALIVE";
            case ROUTE_REFRESH -> "ROUTE-REFRESH";
            default -> "type " + type;
        };
    }
}
