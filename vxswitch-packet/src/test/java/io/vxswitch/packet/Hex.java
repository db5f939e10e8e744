package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

/** Hex vectors for tests: whitespace in the text is ignored so vectors can be laid out by header. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static MemorySegment segment(String hex) {
        return MemorySegment.ofArray(bytes(hex));
    }

    static String of(MemorySegment s, long offset, int length) {
        return HexFormat.of().formatHex(s.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }

    static String strip(String hex) {
        return hex.replaceAll("\\s+", "");
    }
}
