package io.vxswitch.linux.ffi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Helpers shared by the struct classes of this package. */
final class Layouts {
    /** A 16-bit field in network byte order (ports, EtherTypes in sockaddr_ll). */
    static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    /** A 32-bit field in network byte order (IPv4 addresses). */
    static final ValueLayout.OfInt NET_INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);
    /** Half of an IPv6 address, network order; unaligned because sockaddr_in6 is only 4-aligned. */
    static final ValueLayout.OfLong NET_LONG_UNALIGNED =
        ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Layouts() {
    }

    /** A handle over {@code (MemorySegment segment, long structOffset)} for one named field. */
    static VarHandle field(StructLayout layout, String name) {
        return layout.varHandle(MemoryLayout.PathElement.groupElement(name));
    }

    static long offset(MemoryLayout layout, String name) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(name));
    }
}
