package io.vxswitch.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads structured values off a fuzzer's bytes, front to back: the byte-array counterpart of Jazzer's
 * {@code FuzzedDataProvider}, for targets whose inputs must also replay outside Jazzer (a plain {@code @Test} over the
 * committed corpus, an allocation count). Never fails: past the end, every value is its minimum and every array empty.
 */
public final class FuzzInput {
    private final byte[] bytes;
    private int position;

    public FuzzInput(byte[] bytes) {
        this.bytes = bytes;
    }

    public int remaining() {
        return bytes.length - position;
    }

    public int consumeByte() {
        return position < bytes.length ? bytes[position++] & 0xFF : 0;
    }

    public boolean consumeBoolean() {
        return (consumeByte() & 1) != 0;
    }

    /** A value in {@code [min, max]}: as many bytes as the range needs, big-endian, reduced modulo its size. */
    public int consumeInt(int min, int max) {
        long range = (long) max - min + 1;
        long value = 0;
        for (long span = range - 1; span > 0; span >>>= 8) {
            value = value << 8 | consumeByte();
        }
        return (int) (min + Long.remainderUnsigned(value, range));
    }

    public int consumeInt() {
        return consumeInt(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** Up to {@code n} bytes, fewer at the end of the input. */
    public byte[] consumeBytes(int n) {
        int take = Math.min(n, remaining());
        byte[] out = Arrays.copyOfRange(bytes, position, position + take);
        position += take;
        return out;
    }

    public byte[] consumeRemainingBytes() {
        return consumeBytes(remaining());
    }

    public String consumeRemainingAsString() {
        return new String(consumeRemainingBytes(), StandardCharsets.UTF_8);
    }
}
