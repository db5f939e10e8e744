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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tap created by Java, moved into a namespace that pings through it: Java plays the hosts on the other
 * side (192.0.2.20 answered after ARP, 192.0.2.30 through a static neighbour entry).
 */
@Tag("netns")
class TapDeviceNetnsTest {
    private static final long JAVA_MAC = 0x02_00_00_00_00_20L;
    private static final long STATIC_MAC = 0x02_00_00_00_00_30L;
    private static final long TAP_MAC = 0x02_00_00_00_00_10L;
    private static final int NS_IP = Ipv4Address.of(192, 0, 2, 10);
    private static final int JAVA_IP = Ipv4Address.of(192, 0, 2, 20);
    private static final int STATIC_IP = Ipv4Address.of(192, 0, 2, 30);

    private Netns ns;
    private TapDevice tap;
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
}
