package io.vxswitch.linux.udp;

import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.Errno;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UdpSocketErrorsTest {

    @Test
    void binding_an_address_this_host_does_not_have_says_so() {
        assertThatThrownBy(() -> UdpSocket.bind("192.0.2.9", 4789))
            .isInstanceOfSatisfying(LinuxException.class, e -> {
                assertThat(e.errno()).isEqualTo(Errno.EADDRNOTAVAIL);
                assertThat(e.syscall()).isEqualTo("bind");
            })
            .hasMessage("cannot open UDP socket on 192.0.2.9:4789: 192.0.2.9 is not an address of this host"
                + " (see ip addr) [bind: EADDRNOTAVAIL, Cannot assign requested address]");
    }

    @Test
    void binding_a_port_in_use_names_the_likely_culprits() {
        try (UdpSocket first = UdpSocket.bind("127.0.0.1", 0)) {
            int port = first.localPort();
            assertThatThrownBy(() -> UdpSocket.bind("127.0.0.1", port))
                .isInstanceOfSatisfying(LinuxException.class,
                    e -> assertThat(e.errnoName()).isEqualTo("EADDRINUSE"))
                .hasMessageContaining("UDP port " + port + " on 127.0.0.1 is already in use"
                    + " (another VTEP or the kernel's vxlan device?)")
                .hasMessageContaining("[bind: EADDRINUSE, Address already in use]");
        }
    }

    @Test
    void loops_share_the_vxlan_port_only_among_themselves() {
        IpAddress lo = IpAddress.parse("127.0.0.1");
        try (UdpSocket first = UdpSocket.bind(lo, 0, true)) {
            int port = first.localPort();
            try (UdpSocket second = UdpSocket.bind(lo, port, true)) {
                assertThat(second.localPort()).isEqualTo(port);
            }
            assertThatThrownBy(() -> UdpSocket.bind(lo, port)).as("a socket that did not ask to share")
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("EADDRINUSE"));
        }
        try (UdpSocket alone = UdpSocket.bind(lo, 0)) {
            assertThatThrownBy(() -> UdpSocket.bind(lo, alone.localPort(), true))
                .as("the kernel's vxlan device, or another VTEP, holds the port alone")
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("EADDRINUSE"));
        }
    }

    @Test
    void an_ipv6_endpoint_is_written_in_brackets() {
        UdpSocketTest.assumeIpv6Loopback();
        assertThatThrownBy(() -> UdpSocket.bind("2001:db8::9", 4789))
            .hasMessageStartingWith("cannot open UDP socket on [2001:db8::9]:4789: 2001:db8::9 is not an address");
    }

    @Test
    void a_port_out_of_range_is_refused_before_any_call() {
        assertThatThrownBy(() -> UdpSocket.bind("127.0.0.1", 70000))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range 0-65535");
    }
}
