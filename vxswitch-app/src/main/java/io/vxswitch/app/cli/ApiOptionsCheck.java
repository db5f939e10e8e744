package io.vxswitch.app.cli;

import io.vxswitch.linux.InterfaceControl;
import io.vxswitch.linux.LinkState;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.mgmt.ApiOptions;

import java.net.InetAddress;

/** A fresh network namespace has 'lo' down: an API bound to 127.0.0.1 there starts but cannot be reached. */
final class ApiOptionsCheck {
    private ApiOptionsCheck() {
    }

    static boolean loopbackDown(ApiOptions api) {
        try {
            if (!InetAddress.ofLiteral(api.host()).isLoopbackAddress()) {
                return false;
            }
            return InterfaceControl.linkState(InterfaceControl.index("lo")) != LinkState.UP;
        } catch (IllegalArgumentException | LinuxException e) {
            return false; // a host name, or no 'lo' to ask: nothing useful to say
        }
    }
}
