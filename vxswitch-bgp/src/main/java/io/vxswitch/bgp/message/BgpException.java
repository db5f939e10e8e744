package io.vxswitch.bgp.message;

import java.util.HexFormat;

/**
 * A protocol error that ends the session with a NOTIFICATION (RFC 4271 §6): the error code and subcode to send, the
 * data field the RFC asks for (the offending attribute, the bad length, ...) and a sentence for the log.
 */
public final class BgpException extends RuntimeException {
    private final int code;
    private final int subcode;
    private final byte[] data;

    public BgpException(int code, int subcode, byte[] data, String message) {
        super(message);
        this.code = code;
        this.subcode = subcode;
        this.data = data == null ? new byte[0] : data.clone();
    }

    public BgpException(int code, int subcode, String message) {
        this(code, subcode, null, message);
    }

    public int code() {
        return code;
    }

    public int subcode() {
        return subcode;
    }

    public byte[] data() {
        return data.clone();
    }

    /** The NOTIFICATION this error sends. */
    public Notification toNotification() {
        return new Notification(code, subcode, data);
    }

    @Override
    public String toString() {
        return NotificationCodes.describe(code, subcode) + ": " + getMessage()
                + (data.length == 0 ? "" : " (data " + HexFormat.of().formatHex(data) + ")");
    }
}
