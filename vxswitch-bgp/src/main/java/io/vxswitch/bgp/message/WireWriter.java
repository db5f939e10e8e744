package io.vxswitch.bgp.message;

import java.util.Arrays;

/** Writes big-endian fields into a growing array; {@link #patch16} fills a length field once its content is known. */
final class WireWriter {
    private byte[] bytes = new byte[256];
    private int position;

    int position() {
        return position;
    }

    WireWriter u8(int v) {
        ensure(1);
        bytes[position++] = (byte) v;
        return this;
    }

    WireWriter u16(int v) {
        ensure(2);
        bytes[position++] = (byte) (v >>> 8);
        bytes[position++] = (byte) v;
        return this;
    }

    WireWriter u24(int v) {
        ensure(3);
        bytes[position++] = (byte) (v >>> 16);
        bytes[position++] = (byte) (v >>> 8);
        bytes[position++] = (byte) v;
        return this;
    }

    WireWriter u32(long v) {
        u16((int) (v >>> 16) & 0xFFFF);
        return u16((int) v & 0xFFFF);
    }

    WireWriter u48(long v) {
        u16((int) (v >>> 32) & 0xFFFF);
        return u32(v);
    }

    WireWriter i64(long v) {
        u32(v >>> 32);
        return u32(v);
    }

    WireWriter bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, position, b.length);
        position += b.length;
        return this;
    }

    void patch8(int at, int v) {
        bytes[at] = (byte) v;
    }

    void patch16(int at, int v) {
        bytes[at] = (byte) (v >>> 8);
        bytes[at + 1] = (byte) v;
    }

    byte[] toBytes() {
        return Arrays.copyOf(bytes, position);
    }

    private void ensure(int n) {
        if (position + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, position + n));
        }
    }
}
