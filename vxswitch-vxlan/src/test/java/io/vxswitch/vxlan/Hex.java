package io.vxswitch.vxlan;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;

/** Hex vectors for tests: whitespace in the text is ignored so vectors can be laid out by header. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(strip(hex));
    }

    static String of(MemorySegment s, long offset, int length) {
        return HexFormat.of().formatHex(s.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
    }

    static String strip(String hex) {
        return hex.replaceAll("\\s+", "");
    }

    /** A buffer of {@code size} bytes holding {@code hex} at {@code offset}. */
    static MemorySegment at(String hex, int offset, int size) {
        byte[] b = bytes(hex);
        MemorySegment s = MemorySegment.ofArray(new byte[size]);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, s, offset, b.length);
        return s;
    }
}
