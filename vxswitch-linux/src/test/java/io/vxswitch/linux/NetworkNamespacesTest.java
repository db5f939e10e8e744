package io.vxswitch.linux;

import io.vxswitch.linux.ffi.Errno;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetworkNamespacesTest {

    @Test
    void a_missing_namespace_is_named() {
        assertThatThrownBy(() -> NetworkNamespaces.callIn("vxst-none", () -> 1))
            .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT))
            .hasMessageContaining("no network namespace 'vxst-none' (see ip netns list)");
    }

    @Test
    @Tag("netns")
    void code_runs_inside_and_the_caller_stays_outside() {
        Netns.assumeAvailable();
        try (Netns ns = Netns.create()) {
            ns.exec("ip", "link", "add", "vxstinside", "type", "veth", "peer", "name", "vxstpeer");
            assertThat(NetworkNamespaces.callIn(ns.name(), () -> InterfaceControl.exists("vxstinside"))).isTrue();
            assertThat(InterfaceControl.exists("vxstinside")).isFalse();
            assertThatThrownBy(() -> NetworkNamespaces.callIn(ns.name(), () -> {
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
        }
    }
}
