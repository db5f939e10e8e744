package io.vxswitch.linux;

import io.vxswitch.linux.ffi.Errno;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the user reads for each error they can fix. */
class ErrorHintsTest {

    @Test
    void missing_privileges_say_run_as_root() {
        assertThat(ErrorHints.generic(Errno.EPERM)).isEqualTo("need CAP_NET_ADMIN: run as root");
        assertThat(ErrorHints.generic(Errno.EACCES)).isEqualTo("need CAP_NET_ADMIN: run as root");
        assertThat(ErrorHints.openTun(Errno.EACCES)).isEqualTo("need CAP_NET_ADMIN: run as root");
        assertThat(ErrorHints.tunSetIff("vm1", Errno.EPERM)).isEqualTo("need CAP_NET_ADMIN: run as root");
        assertThat(ErrorHints.packetSocket(Errno.EPERM)).isEqualTo("need CAP_NET_RAW: run as root");
        assertThat(ErrorHints.udpBind("192.0.2.1", 80, Errno.EACCES))
            .isEqualTo("UDP port 80 is below 1024: need CAP_NET_BIND_SERVICE: run as root");
    }

    @Test
    void a_missing_tun_device_says_how_to_get_one() {
        assertThat(ErrorHints.openTun(Errno.ENOENT)).isEqualTo(
            "/dev/net/tun is missing: load the tun driver or run in a container with --device /dev/net/tun");
    }

    @Test
    void interface_errors_name_the_interface() {
        assertThat(ErrorHints.interfaceCall("eth9", Errno.ENODEV)).isEqualTo("no interface 'eth9' (see ip link)");
        assertThat(ErrorHints.tunSetIff("vm1", Errno.EBUSY)).isEqualTo(
            "tap name 'vm1' is in use by another process (waited 1 s for it to let go; see ip -d link show vm1)");
        assertThat(ErrorHints.tunSetIff("lo", Errno.EINVAL)).startsWith("an interface 'lo' exists and is not a tap");
    }

    @Test
    void udp_bind_errors_name_the_address_and_port() {
        assertThat(ErrorHints.udpBind("192.0.2.9", 4789, Errno.EADDRNOTAVAIL))
            .isEqualTo("192.0.2.9 is not an address of this host (see ip addr)");
        assertThat(ErrorHints.udpBind("192.0.2.1", 4789, Errno.EADDRINUSE))
            .isEqualTo("UDP port 4789 on 192.0.2.1 is already in use (another VTEP or the kernel's vxlan device?)");
    }

    @Test
    void errors_without_advice_fall_back_on_libc() {
        assertThat(ErrorHints.generic(Errno.EIO)).isNull();
        LinuxException e = new LinuxException("cannot do it", "ioctl(X)", Errno.EIO, null);
        assertThat(e).hasMessage("cannot do it: Input/output error [ioctl(X): EIO, Input/output error]");
    }

    @Test
    void the_message_carries_action_hint_syscall_and_errno_name() {
        LinuxException e = new LinuxException("cannot create tap 'vm1'", "ioctl(TUNSETIFF)", Errno.EBUSY,
            ErrorHints.tunSetIff("vm1", Errno.EBUSY));
        assertThat(e).hasMessage("cannot create tap 'vm1': tap name 'vm1' is in use by another process (waited 1 s"
            + " for it to let go; see ip -d link show vm1) [ioctl(TUNSETIFF): EBUSY, Device or resource busy]");
        assertThat(e.errno()).isEqualTo(Errno.EBUSY);
        assertThat(e.errnoName()).isEqualTo("EBUSY");
        assertThat(e.syscall()).isEqualTo("ioctl(TUNSETIFF)");
        assertThat(e.hint()).isEqualTo("tap name 'vm1' is in use by another process (waited 1 s for it to let go; see ip -d link show vm1)");
    }
}
