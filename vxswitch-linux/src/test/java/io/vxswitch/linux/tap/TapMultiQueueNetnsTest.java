package io.vxswitch.linux.tap;

import io.vxswitch.linux.Netns;
import io.vxswitch.linux.Shell;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.MacAddress;
import io.vxswitch.packet.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A tap with two queues, moved into a namespace that sends 32 UDP flows of 3 datagrams each: the kernel spreads the
 * flows over both queues by hash and keeps each flow on one of them, which is what lets one poll loop per queue
 * forward without reordering a flow.
 */
@Tag("netns")
class TapMultiQueueNetnsTest {
    private static final int FLOWS = 32;
    private static final int PER_FLOW = 3;
    private static final long FAR_MAC = 0x02_00_00_00_00_30L;

    private Netns ns;
    private TapDevice first;
    private TapDevice second;
    private String name;

    @BeforeEach
    void setUp() {
        Netns.assumeTapAvailable();
        ns = Netns.create();
        name = Netns.linkName();
        ns.ownRootLink(name);
    }

    @AfterEach
    void tearDown() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void each_flow_comes_out_of_one_queue_and_the_flows_use_both() {
        first = TapDevice.create(name, TapOptions.defaults().withMultiQueue(true));
        second = first.openQueue();
        assertThat(second.name()).isEqualTo(name);
        assertThat(second.fd()).isNotEqualTo(first.fd());
        assertThat(Shell.check("ip", "-d", "link", "show", "dev", name)).contains("multi_queue");
        Shell.check("ip", "link", "set", "dev", name, "netns", ns.name());
        ns.exec("ip", "addr", "add", "192.0.2.10/24", "dev", name);
        ns.exec("ip", "link", "set", "dev", name, "up");
        ns.exec("ip", "neigh", "add", "192.0.2.30", "lladdr", MacAddress.format(FAR_MAC), "dev", name);

        // bash's /dev/udp: one socket, hence one source port, per flow
        ns.exec("bash", "-c", "for i in $(seq " + FLOWS + "); do exec 3>/dev/udp/192.0.2.30/9;"
            + " for k in $(seq " + PER_FLOW + "); do echo $i >&3; done; exec 3>&-; done");

        Map<Integer, Integer> queueOfFlow = new HashMap<>();
        int[] datagrams = new int[2];
        boolean[] mixed = {false};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(2048);
            TapDevice[] queues = {first, second};
            for (int q = 0; q < 2; q++) {
                for (int n = queues[q].read(buf, 0, 2048); n > 0; n = queues[q].read(buf, 0, 2048)) {
                    int sourcePort = udpSourcePortTo9(buf, n);
                    if (sourcePort < 0) {
                        continue;
                    }
                    datagrams[q]++;
                    Integer was = queueOfFlow.putIfAbsent(sourcePort, q);
                    mixed[0] |= was != null && was != q;
                }
            }
        }

        assertThat(datagrams[0] + datagrams[1]).isEqualTo(FLOWS * PER_FLOW);
        assertThat(queueOfFlow).hasSize(FLOWS);
        assertThat(mixed[0]).as("a flow seen on both queues").isFalse();
        assertThat(datagrams[0]).as("datagrams on the first queue").isPositive();
        assertThat(datagrams[1]).as("datagrams on the second queue").isPositive();
    }

    @Test
    void a_single_queue_tap_refuses_another_queue_and_a_moved_tap_cannot_grow() {
        first = TapDevice.create(name);
        assertThatThrownBy(() -> first.openQueue()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("create it with multiQueue");
        first.close();

        first = TapDevice.create(name, TapOptions.defaults().withMultiQueue(true));
        Shell.check("ip", "link", "set", "dev", name, "netns", ns.name());
        assertThatThrownBy(() -> first.openQueue()).isInstanceOf(IllegalStateException.class)
            .hasMessage("tap '" + name + "' is no longer in this network namespace: open its queues before moving it");
        assertThat(Shell.run("ip", "link", "show", "dev", name).ok()).as("no second tap made in its place").isFalse();
    }

    /** The UDP source port of an IPv4 datagram to port 9 in {@code frame}, or -1 for anything else. */
    private static int udpSourcePortTo9(MemorySegment frame, int length) {
        if (length < 14 + 20 + 8 || Ethernet.etherType(frame, 0) != EtherType.IPV4 || Wire.u8(frame, 14 + 9) != 17) {
            return -1;
        }
        int udp = 14 + (Wire.u8(frame, 14) & 0x0F) * 4;
        return Wire.u16(frame, udp + 2) != 9 ? -1 : Wire.u16(frame, udp);
    }
}
