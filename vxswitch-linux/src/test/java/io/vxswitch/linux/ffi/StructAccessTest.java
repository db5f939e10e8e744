package io.vxswitch.linux.ffi;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

/** The accessors put bytes where the kernel expects them, in the byte order it expects. */
class StructAccessTest {

    @Test
    void sockaddr_in_holds_port_and_address_in_network_order() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(SockaddrIn.LAYOUT);
            SockaddrIn.write(s, 0, 0xC0000201, 4789);
            assertThat(s.toArray(ValueLayout.JAVA_BYTE)).containsExactly(
                2, 0, 0x12, (byte) 0xB5, (byte) 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0);
            assertThat(SockaddrIn.port(s, 0)).isEqualTo(4789);
            assertThat(SockaddrIn.address(s, 0)).isEqualTo(0xC0000201);
        }
    }

    @Test
    void sockaddr_in6_holds_the_address_as_two_big_endian_halves() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(SockaddrIn6.LAYOUT);
            SockaddrIn6.write(s, 0, 0x2001_0db8_0000_0000L, 0x0000_0000_0000_0001L, 65535);
            byte[] b = s.toArray(ValueLayout.JAVA_BYTE);
            assertThat(b[0]).isEqualTo((byte) 10);
            assertThat(new byte[] {b[2], b[3]}).containsExactly(0xFF, 0xFF);
            assertThat(new byte[] {b[8], b[9], b[10], b[11], b[23]}).containsExactly(0x20, 0x01, 0x0d, 0xb8, 0x01);
            assertThat(SockaddrIn6.addressHigh(s, 0)).isEqualTo(0x2001_0db8_0000_0000L);
            assertThat(SockaddrIn6.addressLow(s, 0)).isEqualTo(1L);
        }
    }

    @Test
    void ifreq_takes_the_name_flags_and_a_mac() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(IfReq.LAYOUT);
            IfReq.reset(s, "vm1");
            IfReq.flags(s, (short) 0x1002);
            assertThat(IfReq.name(s)).isEqualTo("vm1");
            assertThat(s.get(ValueLayout.JAVA_BYTE, 3)).isZero();
            assertThat(s.get(ValueLayout.JAVA_SHORT, 16)).isEqualTo((short) 0x1002);
            IfReq.hardwareAddress(s, 0x0200_0000_00AAL);
            assertThat(s.get(ValueLayout.JAVA_SHORT, 16)).as("ARPHRD_ETHER").isEqualTo((short) 1);
            assertThat(s.get(ValueLayout.JAVA_BYTE, 18)).isEqualTo((byte) 2);
            assertThat(s.get(ValueLayout.JAVA_BYTE, 23)).isEqualTo((byte) 0xAA);
            assertThat(IfReq.hardwareAddress(s)).isEqualTo(0x0200_0000_00AAL);
        }
    }

    @Test
    void sockaddr_ll_for_bind_names_the_interface_and_protocol() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(SockaddrLl.LAYOUT);
            SockaddrLl.forBind(s, 0, 7, SockaddrLl.ETH_P_ALL);
            byte[] b = s.toArray(ValueLayout.JAVA_BYTE);
            assertThat(new byte[] {b[0], b[1], b[2], b[3], b[4]}).containsExactly(17, 0, 0, 3, 7);
        }
    }
}
