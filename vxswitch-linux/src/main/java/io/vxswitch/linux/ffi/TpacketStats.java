package io.vxswitch.linux.ffi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code struct tpacket_stats} (getsockopt PACKET_STATISTICS): frames queued to the socket and frames the
 * kernel dropped because the receive buffer was full. Reading it resets both counters.
 */
public final class TpacketStats {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("tp_packets"),
        JAVA_INT.withName("tp_drops")).withName("tpacket_stats");
    public static final int SIZE = (int) LAYOUT.byteSize();
    public static final int PACKET_STATISTICS = 6;

    private static final VarHandle DROPS = Layouts.field(LAYOUT, "tp_drops");

    private TpacketStats() {
    }

    public static long drops(MemorySegment s) {
        return (int) DROPS.get(s, 0L) & 0xFFFF_FFFFL;
    }
}
