package io.vxswitch.linux.tap;

import io.vxswitch.linux.IoCounter;
import io.vxswitch.linux.Netns;
import io.vxswitch.linux.Shell;
import io.vxswitch.linux.TestHost;
import io.vxswitch.linux.poll.Epoll;
import io.vxswitch.packet.Arp;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Ipv4Address;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A tap created by Java, moved into a namespace that pings through it: Java plays the hosts on the other
 * side (192.0.2.20 answered after ARP, 192.0.2.30 through a static neighbour entry). A multi-queue tap spreads the
 * namespace's flows over its queues by hash and keeps each flow on one of them, which is what lets one poll loop per
 * queue forward without reordering a flow.
 */
@Tag("netns")
class TapDeviceNetnsTest {
    private static final long JAVA_MAC = 0x02_00_00_00_00_20L;
    private static final long STATIC_MAC = 0x02_00_00_00_00_30L;
    private static final long TAP_MAC = 0x02_00_00_00_00_10L;
    private static final int NS_IP = Ipv4Address.of(192, 0, 2, 10);
    private static final int JAVA_IP = Ipv4Address.of(192, 0, 2, 20);
    private static final int STATIC_IP = Ipv4Address.of(192, 0, 2, 30);
    /** Multi-queue: 32 UDP flows of 3 datagrams each, to 192.0.2.30 through a static neighbour entry. */
    private static final int FLOWS = 32;
    private static final int PER_FLOW = 3;

    private Netns ns;
    private TapDevice tap;
    /** A multi-queue tap's second queue. */
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
        if (tap != null) {
            tap.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void a_tap_is_created_up_with_the_mtu_and_mac_asked_for_and_vanishes_on_close() {
        tap = TapDevice.create(name, TapOptions.defaults().withMtu(1450).withMac(TAP_MAC));

        String link = Shell.check("ip", "-d", "link", "show", "dev", name);
        assertThat(link).contains("mtu 1450", "link/ether 02:00:00:00:00:10", "tun type tap pi off vnet_hdr off",
            "persist off").containsPattern("<[^>]*\\bUP\\b[^>]*>");
        tap.close();
        assertThat(Shell.run("ip", "link", "show", "dev", name).ok()).as("tap removed on close").isFalse();
    }

    @Test
    void a_namespace_pings_java_hosts_through_a_tap_moved_into_it() {
        tap = TapDevice.create(name, TapOptions.defaults().withMtu(1450).withMac(TAP_MAC));
        Shell.check("ip", "link", "set", "dev", name, "netns", ns.name());
        ns.exec("ip", "addr", "add", "192.0.2.10/24", "dev", name);
        ns.exec("ip", "link", "set", "dev", name, "up");
        ns.exec("ip", "neigh", "add", "192.0.2.30", "lladdr", MacAddress.format(STATIC_MAC), "dev", name);

        TestHost dynamic = new TestHost(JAVA_MAC, JAVA_IP, TestHost.UNTAGGED);
        TestHost fixed = new TestHost(STATIC_MAC, STATIC_IP, TestHost.UNTAGGED);
        Shell.Result ping1;
        Shell.Result ping2;
        Responder responder = new Responder(tap, dynamic, fixed);
        try {
            ping1 = ns.run("ping", "-c", "2", "-i", "0.2", "-W", "2", "192.0.2.20");
            ping2 = ns.run("ping", "-c", "2", "-i", "0.2", "-W", "2", "192.0.2.30");
        } finally {
            responder.close();
        }

        assertThat(ping1.exit()).as("ping 192.0.2.20:\n%s", ping1.output()).isZero();
        assertThat(ping2.exit()).as("ping 192.0.2.30:\n%s", ping2.output()).isZero();
        assertThat(dynamic.arpRequests).as("ARP for the Java host").isPositive();
        assertThat(dynamic.echoRequests).isEqualTo(2);
        assertThat(fixed.arpRequests).as("static neighbour: no ARP needed").isZero();
        assertThat(fixed.echoRequests).isEqualTo(2);
        assertThat(ns.exec("ip", "neigh", "show", "192.0.2.20")).contains("lladdr 02:00:00:00:00:20");
        assertThat(tap.counters().get(IoCounter.RX_ERRORS)).isZero();
        assertThat(tap.counters().get(IoCounter.TX_FRAMES)).isGreaterThanOrEqualTo(5);
    }

    @Test
    void java_asks_the_namespace_for_its_mac_and_reads_the_answer() throws Exception {
        tap = TapDevice.create(name);
        Shell.check("ip", "link", "set", "dev", name, "netns", ns.name());
        ns.exec("ip", "addr", "add", "192.0.2.10/24", "dev", name);
        ns.exec("ip", "link", "set", "dev", name, "up");
        long nsMac = MacAddress.parseBits(ns.exec("cat", "/sys/class/net/" + name + "/address").trim());

        try (Arena arena = Arena.ofConfined(); Epoll epoll = new Epoll(4)) {
            MemorySegment buf = arena.allocate(2048);
            epoll.add(tap.fd(), Epoll.IN);
            int length = FrameBuilder.arpRequest(buf, 0, JAVA_MAC, JAVA_IP, NS_IP);
            assertThat(tap.write(buf, 0, length)).isEqualTo(length);

            long answeredBy = -1;
            long deadline = System.nanoTime() + 3_000_000_000L;
            int[] ready = new int[4];
            while (answeredBy < 0 && System.nanoTime() < deadline) {
                epoll.wait(ready, 100);
                int n;
                while ((n = tap.read(buf, 0, 2048)) > 0) {
                    long arp = Ethernet.HEADER_LENGTH;
                    if (Ethernet.etherType(buf, 0) == EtherType.ARP && Arp.oper(buf, arp) == Arp.REPLY
                        && Arp.spa(buf, arp) == NS_IP && Ethernet.dst(buf, 0) == JAVA_MAC) {
                        answeredBy = Arp.sha(buf, arp);
                    }
                    assertThat(n).isPositive();
                }
            }
            assertThat(answeredBy).as("ARP reply from the namespace").isEqualTo(nsMac);
        }
    }

    /** Answers for the test hosts on a thread of its own until closed. */
    private static final class Responder implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private volatile Throwable failure;

        Responder(TapDevice tap, TestHost... hosts) {
            thread = Thread.ofPlatform().name("tap-responder").start(() -> {
                try (Arena arena = Arena.ofConfined(); Epoll epoll = new Epoll(4)) {
                    MemorySegment in = arena.allocate(2048);
                    MemorySegment out = arena.allocate(2048);
                    epoll.add(tap.fd(), Epoll.IN);
                    int[] ready = new int[4];
                    while (running.get()) {
                        epoll.wait(ready, 50);
                        int n;
                        while ((n = tap.read(in, 0, 2048)) > 0) {
                            for (TestHost host : hosts) {
                                int reply = host.answer(in, 0, n, out);
                                if (reply > 0) {
                                    tap.write(out, 0, reply);
                                }
                            }
                        }
                    }
                } catch (Throwable t) {
                    failure = t;
                }
            });
        }

        @Override
        public void close() {
            running.set(false);
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw new AssertionError("responder failed", failure);
            }
        }
    }

    @Test
    void each_flow_comes_out_of_one_queue_and_the_flows_use_both() {
        tap = TapDevice.create(name, TapOptions.defaults().withMultiQueue(true));
        second = tap.openQueue();
        assertThat(second.name()).isEqualTo(name);
        assertThat(second.fd()).isNotEqualTo(tap.fd());
        assertThat(Shell.check("ip", "-d", "link", "show", "dev", name)).contains("multi_queue");
        Shell.check("ip", "link", "set", "dev", name, "netns", ns.name());
        ns.exec("ip", "addr", "add", "192.0.2.10/24", "dev", name);
        ns.exec("ip", "link", "set", "dev", name, "up");
        ns.exec("ip", "neigh", "add", "192.0.2.30", "lladdr", MacAddress.format(STATIC_MAC), "dev", name);

        // bash's /dev/udp: one socket, hence one source port, per flow
        ns.exec("bash", "-c", "for i in $(seq " + FLOWS + "); do exec 3>/dev/udp/192.0.2.30/9;"
            + " for k in $(seq " + PER_FLOW + "); do echo $i >&3; done; exec 3>&-; done");

        Map<Integer, Integer> queueOfFlow = new HashMap<>();
        int[] datagrams = new int[2];
        boolean[] mixed = {false};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(2048);
            TapDevice[] queues = {tap, second};
            // until all have come, at most 2 s: a datagram the tap's qdisc holds back is sent on in a softirq
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (datagrams[0] + datagrams[1] < FLOWS * PER_FLOW && System.nanoTime() - deadline < 0) {
                for (int q = 0; q < 2; q++) {
                    for (int n = queues[q].read(buf, 0, 2048); n > 0; n = queues[q].read(buf, 0, 2048)) {
                        int flow = flowTo9(buf, n);
                        if (flow < 0) {
                            continue;
                        }
                        datagrams[q]++;
                        Integer was = queueOfFlow.putIfAbsent(flow, q);
                        mixed[0] |= was != null && was != q;
                    }
                }
                LockSupport.parkNanos(1_000_000L);
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
        tap = TapDevice.create(name);
        assertThatThrownBy(() -> tap.openQueue()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("create it with multiQueue");
        tap.close();

        tap = TapDevice.create(name, TapOptions.defaults().withMultiQueue(true));
        Shell.check("ip", "link", "set", "dev", name, "netns", ns.name());
        assertThatThrownBy(() -> tap.openQueue()).isInstanceOf(IllegalStateException.class)
            .hasMessage("tap '" + name + "' is no longer in this network namespace: open its queues before moving it");
        assertThat(Shell.run("ip", "link", "show", "dev", name).ok()).as("no second tap made in its place").isFalse();
    }

    /**
     * The flow of an IPv4 datagram to port 9 in {@code frame}: the number bash wrote into it ("7\n"), or -1 for
     * anything else. Not its source port: two of the flows' sockets, opened one after the other, may be given the
     * same ephemeral port (some 2 % of runs, for 32 flows), and would count as one.
     */
    private static int flowTo9(MemorySegment frame, int length) {
        if (length < 14 + 20 + 8 || Ethernet.etherType(frame, 0) != EtherType.IPV4 || Wire.u8(frame, 14 + 9) != 17) {
            return -1;
        }
        int udp = 14 + (Wire.u8(frame, 14) & 0x0F) * 4;
        if (Wire.u16(frame, udp + 2) != 9) {
            return -1;
        }
        int flow = 0;
        for (int i = udp + 8; i < length && Wire.u8(frame, i) != '\n'; i++) {
            flow = flow * 10 + Wire.u8(frame, i) - '0';
        }
        return flow;
    }
}
