package io.vxswitch.linux.ffi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct ifreq} (netdevice(7)): 40 bytes, a 16-byte interface name then a 24-byte union (its largest
 * member is {@code struct ifmap}). Used with TUNSETIFF and the SIOC[GS]IF* ioctls.
 */
public final class IfReq {
    /** {@code IFNAMSIZ}, including the terminating NUL: names have at most 15 bytes. */
    public static final int IFNAMSIZ = 16;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(IFNAMSIZ, JAVA_BYTE).withName("ifr_name"),
        MemoryLayout.unionLayout(
            JAVA_SHORT.withName("ifr_flags"),
            JAVA_INT.withName("ifr_ivalue"),
            MemoryLayout.structLayout(
                JAVA_SHORT.withName("sa_family"),
                MemoryLayout.sequenceLayout(14, JAVA_BYTE).withName("sa_data")).withName("ifr_hwaddr"),
            MemoryLayout.paddingLayout(24)).withName("ifr_ifru")).withName("ifreq");
    public static final long SIZE = LAYOUT.byteSize();
    public static final long HWADDR_DATA_OFFSET =
        LAYOUT.byteOffset(groupElement("ifr_ifru"), groupElement("ifr_hwaddr"), groupElement("sa_data"));

    /** {@code ARPHRD_ETHER}: the sa_family of an Ethernet hardware address. */
    public static final short ARPHRD_ETHER = 1;

    private static final VarHandle FLAGS = LAYOUT.varHandle(groupElement("ifr_ifru"), groupElement("ifr_flags"));
    private static final VarHandle IVALUE = LAYOUT.varHandle(groupElement("ifr_ifru"), groupElement("ifr_ivalue"));
    private static final VarHandle HW_FAMILY =
        LAYOUT.varHandle(groupElement("ifr_ifru"), groupElement("ifr_hwaddr"), groupElement("sa_family"));

    private IfReq() {
    }

    /** Clears the struct and writes {@code name}, which must already be a valid interface name. */
    public static void reset(MemorySegment s, String name) {
        s.asSlice(0, SIZE).fill((byte) 0);
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name '" + name + "' is longer than 15 bytes");
        }
        MemorySegment.copy(bytes, 0, s, JAVA_BYTE, 0, bytes.length);
    }

    /** The name the kernel wrote back (TUNSETIFF fills in the name it chose for a {@code tap%d} pattern). */
    public static String name(MemorySegment s) {
        return s.asSlice(0, IFNAMSIZ).getString(0, StandardCharsets.US_ASCII);
    }

    public static short flags(MemorySegment s) {
        return (short) FLAGS.get(s, 0L);
    }

    public static void flags(MemorySegment s, short flags) {
        FLAGS.set(s, 0L, flags);
    }

    /** {@code ifr_mtu} / {@code ifr_ifindex}: the same int in the union. */
    public static int intValue(MemorySegment s) {
        return (int) IVALUE.get(s, 0L);
    }

    public static void intValue(MemorySegment s, int value) {
        IVALUE.set(s, 0L, value);
    }

    /** Writes an Ethernet {@code ifr_hwaddr}: family ARPHRD_ETHER and the 6 octets, MSB first. */
    public static void hardwareAddress(MemorySegment s, long mac) {
        HW_FAMILY.set(s, 0L, ARPHRD_ETHER);
        for (int i = 0; i < 6; i++) {
            s.set(JAVA_BYTE, HWADDR_DATA_OFFSET + i, (byte) (mac >>> (40 - 8 * i)));
        }
    }

    public static long hardwareAddress(MemorySegment s) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | (s.get(JAVA_BYTE, HWADDR_DATA_OFFSET + i) & 0xFF);
        }
        return mac;
    }
}
