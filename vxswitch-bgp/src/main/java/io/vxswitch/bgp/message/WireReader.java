package io.vxswitch.bgp.message;

/**
 * Reads big-endian fields from a byte range and turns running off its end into the NOTIFICATION the caller names
 * (a truncated attribute list is "Malformed Attribute List", a truncated OPEN parameter "Bad Message Length"...),
 * so no decoder ever throws an index exception at a peer's bytes.
 */
final class WireReader {
    private final byte[] bytes;
    private int position;
    private final int limit;
    private final int code;
    private final int subcode;
    private final String what;

    WireReader(byte[] bytes, int offset, int length, int code, int subcode, String what) {
        this.bytes = bytes;
        this.position = offset;
        this.limit = offset + length;
        this.code = code;
        this.subcode = subcode;
        this.what = what;
    }

    /** A reader over the next {@code length} bytes, with its own error for running short; this one skips them. */
    WireReader slice(int length, int code, int subcode, String what) {
        need(length);
        WireReader slice = new WireReader(bytes, position, length, code, subcode, what);
        position += length;
        return slice;
    }

    int remaining() {
        return limit - position;
    }

    boolean hasRemaining() {
        return position < limit;
    }

    int position() {
        return position;
    }

    int u8() {
        need(1);
        return bytes[position++] & 0xFF;
    }

    int peekU8() {
        need(1);
        return bytes[position] & 0xFF;
    }

    int u16() {
        need(2);
        int v = (bytes[position] & 0xFF) << 8 | bytes[position + 1] & 0xFF;
        position += 2;
        return v;
    }

    int u24() {
        need(3);
        int v = (bytes[position] & 0xFF) << 16 | (bytes[position + 1] & 0xFF) << 8 | bytes[position + 2] & 0xFF;
        position += 3;
        return v;
    }

    long u32() {
        return i32() & 0xFFFF_FFFFL;
    }

    int i32() {
        need(4);
        int v = (bytes[position] & 0xFF) << 24 | (bytes[position + 1] & 0xFF) << 16
                | (bytes[position + 2] & 0xFF) << 8 | bytes[position + 3] & 0xFF;
        position += 4;
        return v;
    }

    long u48() {
        return (long) u16() << 32 | u32();
    }

    long i64() {
        return u32() << 32 | u32();
    }

    byte[] bytes(int n) {
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(bytes, position, out, 0, n);
        position += n;
        return out;
    }

    /** The bytes from {@code from} up to the current position: the data field of a NOTIFICATION about them. */
    byte[] since(int from) {
        byte[] out = new byte[position - from];
        System.arraycopy(bytes, from, out, 0, out.length);
        return out;
    }

    BgpException error(String problem) {
        return new BgpException(code, subcode, what + ": " + problem);
    }

    private void need(int n) {
        if (n < 0 || remaining() < n) {
            throw new BgpException(code, subcode,
                    what + " ends early: " + n + " more bytes needed at offset " + position + ", " + remaining() + " left");
        }
    }
}
