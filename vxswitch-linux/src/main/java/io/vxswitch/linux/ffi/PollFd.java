package io.vxswitch.linux.ffi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** {@code struct pollfd { int fd; short events; short revents; }}: 8 bytes. */
public final class PollFd {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("fd"),
        JAVA_SHORT.withName("events"),
        JAVA_SHORT.withName("revents")).withName("pollfd");
    public static final long SIZE = LAYOUT.byteSize();
    public static final short POLLIN = 0x001;
    public static final short POLLOUT = 0x004;

    private static final VarHandle FD = Layouts.field(LAYOUT, "fd");
    private static final VarHandle EVENTS = Layouts.field(LAYOUT, "events");
    private static final VarHandle REVENTS = Layouts.field(LAYOUT, "revents");

    private PollFd() {
    }

    public static void write(MemorySegment s, long at, int fd, short events) {
        FD.set(s, at, fd);
        EVENTS.set(s, at, events);
        REVENTS.set(s, at, (short) 0);
    }

    public static int returnedEvents(MemorySegment s, long at) {
        return (short) REVENTS.get(s, at) & 0xFFFF;
    }
}
