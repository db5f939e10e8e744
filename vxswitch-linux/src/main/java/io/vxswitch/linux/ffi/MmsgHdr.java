package io.vxswitch.linux.ffi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; }}: 64 bytes, the element of the
 * arrays {@code recvmmsg} and {@code sendmmsg} take. The {@code msg_hdr} fields are reached with
 * {@link MsgHdr}'s accessors at the same offset.
 */
public final class MmsgHdr {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        MsgHdr.LAYOUT.withName("msg_hdr"),
        JAVA_INT.withName("msg_len"),
        MemoryLayout.paddingLayout(4)).withName("mmsghdr");
    public static final long SIZE = LAYOUT.byteSize();

    private static final VarHandle LEN = Layouts.field(LAYOUT, "msg_len");

    private MmsgHdr() {
    }

    /** Bytes received or sent for this message; on receive with {@code MSG_TRUNC}, the real length. */
    public static int length(MemorySegment s, long at) {
        return (int) LEN.get(s, at);
    }

    public static void length(MemorySegment s, long at, int length) {
        LEN.set(s, at, length);
    }
}
