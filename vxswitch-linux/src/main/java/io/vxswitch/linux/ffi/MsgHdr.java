package io.vxswitch.linux.ffi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct msghdr} (glibc, LP64): 56 bytes. {@code msg_iovlen} and {@code msg_controllen} are
 * {@code size_t} in glibc, so they are 8 bytes with padding after {@code msg_namelen} and {@code msg_flags}.
 */
public final class MsgHdr {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        ADDRESS.withName("msg_name"),
        JAVA_INT.withName("msg_namelen"),
        MemoryLayout.paddingLayout(4),
        ADDRESS.withName("msg_iov"),
        JAVA_LONG.withName("msg_iovlen"),
        ADDRESS.withName("msg_control"),
        JAVA_LONG.withName("msg_controllen"),
        JAVA_INT.withName("msg_flags"),
        MemoryLayout.paddingLayout(4)).withName("msghdr");

    /** Set by the kernel on receive when the datagram was longer than the buffer. */
    public static final int MSG_TRUNC = 0x20;

    private static final VarHandle NAME = Layouts.field(LAYOUT, "msg_name");
    private static final VarHandle NAMELEN = Layouts.field(LAYOUT, "msg_namelen");
    private static final VarHandle IOV = Layouts.field(LAYOUT, "msg_iov");
    private static final VarHandle IOVLEN = Layouts.field(LAYOUT, "msg_iovlen");
    private static final VarHandle CONTROL = Layouts.field(LAYOUT, "msg_control");
    private static final VarHandle CONTROLLEN = Layouts.field(LAYOUT, "msg_controllen");
    private static final VarHandle FLAGS = Layouts.field(LAYOUT, "msg_flags");

    private MsgHdr() {
    }

    public static void name(MemorySegment s, long at, MemorySegment name) {
        NAME.set(s, at, name);
    }

    public static void nameLength(MemorySegment s, long at, int length) {
        NAMELEN.set(s, at, length);
    }

    public static void iov(MemorySegment s, long at, MemorySegment iov, long count) {
        IOV.set(s, at, iov);
        IOVLEN.set(s, at, count);
    }

    public static void control(MemorySegment s, long at, MemorySegment control) {
        CONTROL.set(s, at, control);
    }

    public static void controlLength(MemorySegment s, long at, long length) {
        CONTROLLEN.set(s, at, length);
    }

    public static long controlLength(MemorySegment s, long at) {
        return (long) CONTROLLEN.get(s, at);
    }

    public static int flags(MemorySegment s, long at) {
        return (int) FLAGS.get(s, at);
    }

    public static void flags(MemorySegment s, long at, int flags) {
        FLAGS.set(s, at, flags);
    }
}
