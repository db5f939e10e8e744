package io.vxswitch.linux.ffi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** {@code struct sockaddr_in}: 16 bytes; port and address in network order. */
public final class SockaddrIn {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_SHORT.withName("sin_family"),
        Layouts.NET_SHORT.withName("sin_port"),
        Layouts.NET_INT.withName("sin_addr"),
        MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sin_zero")).withName("sockaddr_in");
    public static final int SIZE = (int) LAYOUT.byteSize();
    public static final short AF_INET = 2;

    private static final long ZERO_OFFSET = Layouts.offset(LAYOUT, "sin_zero");
    private static final VarHandle FAMILY = Layouts.field(LAYOUT, "sin_family");
    private static final VarHandle PORT = Layouts.field(LAYOUT, "sin_port");
    private static final VarHandle ADDR = Layouts.field(LAYOUT, "sin_addr");

    private SockaddrIn() {
    }

    /** Writes {@code address:port}; {@code address} as vxswitch keeps it, {@code 10.0.0.1} = {@code 0x0A000001}. */
    public static void write(MemorySegment s, long at, int address, int port) {
        FAMILY.set(s, at, AF_INET);
        PORT.set(s, at, (short) port);
        ADDR.set(s, at, address);
        s.set(ValueLayout.JAVA_LONG_UNALIGNED, at + ZERO_OFFSET, 0L); // sin_zero, without making a slice
    }

    /** The family field, shared by every sockaddr: tells sockaddr_in from sockaddr_in6. */
    public static int family(MemorySegment s, long at) {
        return (short) FAMILY.get(s, at);
    }

    public static int port(MemorySegment s, long at) {
        return (short) PORT.get(s, at) & 0xFFFF;
    }

    public static int address(MemorySegment s, long at) {
        return (int) ADDR.get(s, at);
    }
}
