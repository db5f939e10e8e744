package io.vxswitch.linux.ffi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * {@code struct epoll_event { uint32_t events; epoll_data_t data; }}. On x86_64 the kernel header declares it
 * {@code __attribute__((packed))}: 12 bytes with the data at offset 4. Other 64-bit architectures use natural
 * alignment: 16 bytes with the data at offset 8. Getting this wrong silently shifts every event after the
 * first, so the layout follows {@code os.arch}.
 */
public final class EpollEvent {
    public static final StructLayout LAYOUT = isX86_64(System.getProperty("os.arch"))
        ? MemoryLayout.structLayout(JAVA_INT.withName("events"), JAVA_LONG_UNALIGNED.withName("data"))
        : MemoryLayout.structLayout(JAVA_INT.withName("events"), MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("data"));
    public static final long SIZE = LAYOUT.byteSize();

    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;

    private static final VarHandle EVENTS = Layouts.field(LAYOUT, "events");
    private static final VarHandle DATA = Layouts.field(LAYOUT, "data");

    private EpollEvent() {
    }

    static boolean isX86_64(String arch) {
        return "amd64".equals(arch) || "x86_64".equals(arch);
    }

    public static void write(MemorySegment s, long at, int events, long data) {
        EVENTS.set(s, at, events);
        DATA.set(s, at, data);
    }

    public static int events(MemorySegment s, long at) {
        return (int) EVENTS.get(s, at);
    }

    public static long data(MemorySegment s, long at) {
        return (long) DATA.get(s, at);
    }
}
