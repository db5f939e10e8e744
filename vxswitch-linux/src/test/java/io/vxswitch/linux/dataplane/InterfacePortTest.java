package io.vxswitch.linux.dataplane;

import io.vxswitch.linux.IoCounter;
import io.vxswitch.linux.Netns;
import io.vxswitch.linux.NetworkNamespaces;
import io.vxswitch.linux.packet.PacketSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an interface port tells the operator about frames it read and could not forward: each kind once, with what
 * to change, and all of them in {@code rx_refused}. The socket is on a test namespace's loopback; the counts are set
 * as the receive path would set them.
 */
@Tag("netns")
class InterfacePortTest {
    private Netns ns;
    private InterfacePort port;

    @BeforeEach
    void setUp() throws Exception {
        Netns.assumeAvailable();
        ns = Netns.create();
        port = new InterfacePort(NetworkNamespaces.callIn(ns.name(), () -> PacketSocket.open("lo", false, false,
            false)), 0);
    }

    @AfterEach
    void tearDown() {
        if (port != null) {
            port.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void each_kind_of_receive_drop_is_told_once_with_what_to_change() {
        assertThat(port.takeNotice()).as("nothing dropped, nothing to say").isNull();
        var counters = socket().counters();
        counters.add(IoCounter.RX_OVERSIZE_DROPS, 3);
        counters.increment(IoCounter.RX_PARTIAL_CHECKSUM_DROPS);

        assertThat(port.takeNotice()).startsWith("received frames dropped: longer than MTU")
            .contains("give the port offload: true").contains("ethtool -K lo tx off").endsWith("(3 so far, counted "
                + "in rx_refused; said once)");
        assertThat(port.takeNotice()).startsWith("received frames dropped: checksum left to an offload");
        assertThat(port.takeNotice()).as("each said once").isNull();
        counters.increment(IoCounter.RX_OVERSIZE_DROPS);
        assertThat(port.takeNotice()).as("more of the same: still said once").isNull();
        assertThat(port.rxRefused()).isEqualTo(5);
    }

    private PacketSocket socket() {
        return port.socket();
    }
}
