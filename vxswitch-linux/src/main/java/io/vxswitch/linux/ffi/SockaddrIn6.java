package io.vxswitch.linux.ffi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct sockaddr_in6}: 28 bytes. The 128-bit address is read and written as two big-endian longs
 * (high, low), the form {@code VtepAddress} and the packet views use.
 */
public final class SockaddrIn6 {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_SHORT.withName("sin6_family"),
        Layouts.NET_SHORT.withName("sin6_port"),
        JAVA_INT.withName("sin6_flowinfo"),
        Layouts.NET_LONG_UNALIGNED.withName("sin6_addr_high"),
        Layouts.NET_LONG_UNALIGNED.withName("sin6_addr_low"),
        JAVA_INT.withName("sin6_scope_id")).withName("sockaddr_in6");
    public static final int SIZE = (int) LAYOUT.byteSize();
    public static final short AF_INET6 = 10;

    private static final VarHandle FAMILY = Layouts.field(LAYOUT, "sin6_family");
    private static final VarHandle PORT = Layouts.field(LAYOUT, "sin6_port");
    private static final VarHandle FLOWINFO = Layouts.field(LAYOUT, "sin6_flowinfo");
    private static final VarHandle HIGH = Layouts.field(LAYOUT, "sin6_addr_high");
    private static final VarHandle LOW = Layouts.field(LAYOUT, "sin6_addr_low");
    private static final VarHandle SCOPE = Layouts.field(LAYOUT, "sin6_scope_id");

    private SockaddrIn6() {
    }

    public static void write(MemorySegment s, long at, long high, long low, int port) {
        FAMILY.set(s, at, AF_INET6);
        PORT.set(s, at, (short) port);
        FLOWINFO.set(s, at, 0);
        HIGH.set(s, at, high);
        LOW.set(s, at, low);
        SCOPE.set(s, at, 0);
    }

    public static int port(MemorySegment s, long at) {
        return (short) PORT.get(s, at) & 0xFFFF;
    }

    public static long addressHigh(MemorySegment s, long at) {
        return (long) HIGH.get(s, at);
    }

    public static long addressLow(MemorySegment s, long at) {
        return (long) LOW.get(s, at);
    }
}
