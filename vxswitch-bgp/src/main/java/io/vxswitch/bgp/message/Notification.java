package io.vxswitch.bgp.message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/** NOTIFICATION (RFC 4271 §4.5): the error that ends a session, sent or received. */
public record Notification(int code, int subcode, byte[] data) implements BgpMessage {
    public Notification {
        data = data == null ? new byte[0] : data.clone();
    }

    public Notification(int code, int subcode) {
        this(code, subcode, new byte[0]);
    }

    /** A Cease with RFC 9003's shutdown communication: the operator's reason, shown by the peer's CLI. */
    public static Notification cease(int subcode, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(text.length, 255);
        byte[] data = new byte[n + 1];
        data[0] = (byte) n;
        System.arraycopy(text, 0, data, 1, n);
        return new Notification(NotificationCodes.CEASE, subcode, data);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public int type() {
        return NOTIFICATION;
    }

    /** "Cease / Administrative Shutdown: maintenance" or "... (data 0017)": what a log line says about it. */
    public String describe() {
        String what = NotificationCodes.describe(code, subcode);
        if (data.length == 0) {
            return what;
        }
        boolean communication = code == NotificationCodes.CEASE
                && (subcode == NotificationCodes.ADMINISTRATIVE_SHUTDOWN || subcode == NotificationCodes.ADMINISTRATIVE_RESET)
                && (data[0] & 0xFF) == data.length - 1;
        if (communication) {
            return what + ": " + new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
        }
        return what + " (data " + HexFormat.of().formatHex(data) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Notification n && n.code == code && n.subcode == subcode && Arrays.equals(n.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * code + subcode) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Notification[" + describe() + "]";
    }
}
