package io.vxswitch.linux.packet;

import io.vxswitch.linux.IoCounter;
import io.vxswitch.linux.Netns;
import io.vxswitch.linux.NetworkNamespaces;
import io.vxswitch.linux.Shell;
import io.vxswitch.linux.TestHost;
import io.vxswitch.linux.poll.Epoll;
import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.offload.VirtioNetHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A veth pair: the host end in the root namespace (no address, IPv6 off, offloads off) opened by Java as a
 * packet socket, the peer {@code eth0} in the test namespace.
 *
 * <p>This kernel has neither {@code CONFIG_VLAN_8021Q} (no {@code eth0.119}) nor bridge VLAN filtering, so
 * tagged traffic on the namespace side comes from a second packet socket that Java opens inside the
 * namespace (setns). The kernel strips the tag of a received frame whether or not a VLAN device exists, so
 * both ends exercise the tag restoration.
 *
 * <p>The receiving tests run twice: {@code recvmmsg} batches, and a TPACKET_V3 ring ({@code ring = true}), which
 * must deliver the same frames with the same filtering and counts.
 */
@Tag("netns")
class PacketSocketNetnsTest {
    private static final long JAVA_MAC = 0x02_00_00_00_00_01L;
    private static final long NS_SENDER_MAC = 0x02_00_00_00_01_19L;

    private static final ValueLayout.OfInt NET_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Netns ns;
    private String hostEnd;
    private PacketSocket socket;
    private PacketSocket peer;

    @BeforeEach
    void setUp() {
        Netns.assumeAvailable();
        ns = Netns.create();
        hostEnd = Netns.linkName();
        ns.ownRootLink(hostEnd);
        Shell.check("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", ns.name());
        Shell.check("sysctl", "-qw", "net.ipv6.conf." + hostEnd + ".disable_ipv6=1");
        offloadsOff(Shell.run("ethtool", "-K", hostEnd, "tx", "off", "gso", "off", "tso", "off", "gro", "off"));
        Shell.check("ip", "link", "set", "dev", hostEnd, "up");
        offloadsOff(ns.run("ethtool", "-K", "eth0", "tx", "off", "gso", "off", "tso", "off", "gro", "off"));
        ns.exec("ip", "addr", "add", "198.51.100.10/24", "dev", "eth0");
        ns.exec("ip", "link", "set", "dev", "eth0", "up");
    }

    private static void offloadsOff(Shell.Result r) {
        // Pings still work with offloads on (ICMP checksums are never offloaded); say so and go on.
        if (!r.ok()) {
            System.err.println("note: ethtool -K failed, offloads stay on: " + r.output());
        }
    }

    @AfterEach
    void tearDown() {
        if (peer != null) {
            peer.close();
        }
        if (socket != null) {
            socket.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    /** Two sockets of one fanout group: what one loop of switch.loops reads of an interface port, and the other. */
    @Test
    void a_fanout_group_spreads_flows_over_its_sockets_each_flow_whole_on_one() throws Exception {
        socket = PacketSocket.open(hostEnd, true, false, false);
        PacketSocket second = PacketSocket.open(hostEnd, true, false, false);
        try (second) {
            int group = PacketSocket.fanoutGroup(socket.ifindex());
            socket.joinFanout(group);
            second.joinFanout(group);
            ns.exec("ip", "neigh", "replace", "198.51.100.20", "lladdr", "02:00:00:00:00:01", "dev", "eth0");
            // 32 flows (destination ports 40000-40031), 3 datagrams each
            ns.exec("python3", "-c", "import socket\n"
                + "for p in range(40000, 40032):\n"
                + "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                + "    for i in range(3):\n"
                + "        s.sendto(b'x', ('198.51.100.20', p))\n");
            List<Integer> first = udpPorts(socket);
            List<Integer> other = udpPorts(second);
            assertThat(first.size() + other.size()).as("every datagram, once").isEqualTo(96);
            assertThat(first).as("both sockets get a share of 32 flows").isNotEmpty();
            assertThat(other).isNotEmpty();
            assertThat(first).as("no flow on both").doesNotContainAnyElementsOf(other);
            for (int port : first) {
                assertThat(first.stream().filter(p -> p == port)).as("flow %d whole", port).hasSize(3);
            }
        }
    }

    /** Destination ports of the UDP datagrams to 198.51.100.20 waiting on {@code s}. */
    private static List<Integer> udpPorts(PacketSocket s) {
        List<Integer> ports = new ArrayList<>();
        FrameBatch batch = s.newBatch(64);
        try {
            for (int n = s.receive(batch); n > 0; n = s.receive(batch)) {
                MemorySegment b = batch.buffer();
                for (int k = 0; k < n; k++) {
                    long f = batch.frameOffset(k);
                    if (Ethernet.etherType(b, f) == EtherType.IPV4 && b.get(ValueLayout.JAVA_BYTE, f + 23) == 17
                        && b.get(NET_INT, f + 30) == Ipv4Address.of(198, 51, 100, 20)) {
                        ports.add(Short.toUnsignedInt(b.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(
                            ByteOrder.BIG_ENDIAN), f + 36)));
                    }
                }
            }
        } finally {
            batch.close();
        }
        return ports;
    }

    @ParameterizedTest(name = "ring {0}, vnet header {1}")
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void a_ping_from_the_namespace_is_answered_by_a_java_host_behind_the_packet_socket(boolean ring, boolean vnet)
        throws Exception {
        socket = PacketSocket.open(hostEnd, true, ring, vnet);
        assertThat(Shell.check("ip", "-d", "link", "show", "dev", hostEnd)).contains("promiscuity 1");
        TestHost host = new TestHost(JAVA_MAC, Ipv4Address.of(198, 51, 100, 20), TestHost.UNTAGGED);

        Shell.Result ping;
        try (Responder responder = new Responder(socket, host)) {
            ping = ns.run("ping", "-c", "2", "-i", "0.2", "-W", "2", "198.51.100.20");
            responder.stop();
            assertThat(responder.ownFramesSeen).as("own transmissions must not come back").isZero();
        }

        assertThat(ping.exit()).as("ping:\n%s", ping.output()).isZero();
        assertThat(host.arpRequests).isPositive();
        assertThat(host.echoRequests).isEqualTo(2);
        assertThat(ns.exec("ip", "neigh", "show", "198.51.100.20")).contains("lladdr 02:00:00:00:00:01");
        socket.close();
        assertThat(Shell.check("ip", "-d", "link", "show", "dev", hostEnd)).as("promiscuous mode left on close")
            .contains("promiscuity 0");
    }

    @ParameterizedTest(name = "ring {0}, vnet header {1}")
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void tags_stripped_by_the_kernel_are_put_back_with_their_priority_and_tpid(boolean ring, boolean vnet)
        throws Exception {
        socket = PacketSocket.open(hostEnd, true, ring, vnet);
        peer = NetworkNamespaces.callIn(ns.name(), () -> PacketSocket.open("eth0"));
        try (Arena arena = Arena.ofConfined(); FrameBatch rx = socket.newBatch(16)) {
            MemorySegment frame = arena.allocate(256);
            int[] tcis = {Dot1q.tci(0, false, 119), Dot1q.tci(5, true, 119), Dot1q.tci(0, false, 120)};
            int[] tpids = {EtherType.VLAN, EtherType.VLAN, EtherType.QINQ};
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < tcis.length; i++) {
                int length = FrameBuilder.arpRequest(frame, 4, NS_SENDER_MAC, Ipv4Address.of(192, 0, 2, 10),
                    Ipv4Address.of(192, 0, 2, 20 + i));
                length = FrameBuilder.pushTag(frame, 4, length, frame, 0, tpids[i], tcis[i]);
                assertThat(peer.write(frame, 0, length)).isEqualTo(length);
                expected.add(describe(frame, 0, length));
            }

            List<String> received = receiveFrom(socket, rx, NS_SENDER_MAC, tcis.length);

            assertThat(received).containsExactlyElementsOf(expected);
            assertThat(socket.counters().get(IoCounter.RX_VLAN_TAGS_RESTORED)).isEqualTo(tcis.length);
        }
    }

    @Test
    void a_tagged_frame_written_by_java_arrives_tagged_on_the_namespace_side() throws Exception {
        socket = PacketSocket.open(hostEnd);
        peer = NetworkNamespaces.callIn(ns.name(), () -> PacketSocket.open("eth0"));
        try (FrameBatch tx = socket.newBatch(4); FrameBatch rx = peer.newBatch(16)) {
            MemorySegment b = tx.buffer();
            List<String> expected = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                long slot = tx.slotOffset(k);
                int length = FrameBuilder.gratuitousArp(b, slot + 4, JAVA_MAC, Ipv4Address.of(192, 0, 2, 77 + k));
                length = FrameBuilder.pushVlanTag(b, slot + 4, length, b, slot, Dot1q.tci(0, false, 119 + k));
                tx.frame(k, slot, length);
                expected.add(describe(b, slot, length));
            }

            assertThat(socket.send(tx, 3)).isEqualTo(3);
            List<String> received = receiveFrom(peer, rx, JAVA_MAC, 3);

            assertThat(received).containsExactlyElementsOf(expected);
            assertThat(socket.counters().get(IoCounter.TX_FRAMES)).isEqualTo(3);
            assertThat(socket.counters().get(IoCounter.RX_FRAMES)).as("own frames not received").isZero();
        }
    }

    @ParameterizedTest(name = "ring {0}")
    @ValueSource(booleans = {false, true})
    void frames_longer_than_the_mtu_at_open_are_dropped_and_counted(boolean ring) throws Exception {
        socket = PacketSocket.open(hostEnd, true, ring, false);
        Shell.check("ip", "link", "set", "dev", hostEnd, "mtu", "9000");
        ns.exec("ip", "link", "set", "dev", "eth0", "mtu", "9000");
        try (FrameBatch batch = socket.newBatch(8); Epoll epoll = new Epoll(2)) {
            epoll.add(socket.fd(), Epoll.IN);
            ns.exec("ip", "neigh", "add", "198.51.100.20", "lladdr", "02:00:00:00:00:01", "dev", "eth0");
            ns.run("ping", "-c", "1", "-s", "3000", "-W", "1", "198.51.100.20");
            ns.run("ping", "-c", "1", "-s", "100", "-W", "1", "198.51.100.20");
            int small = 0;
            long deadline = System.nanoTime() + 2_000_000_000L;
            int[] ready = new int[2];
            while (System.nanoTime() < deadline && small == 0) {
                epoll.wait(ready, 100);
                int n = receive(socket, batch);
                for (int k = 0; k < n; k++) {
                    assertThat(batch.frameLength(k)).isLessThanOrEqualTo(batch.maxFrameLength());
                    small += batch.frameLength(k) == 14 + 20 + 8 + 100 ? 1 : 0;
                }
            }
            assertThat(small).as("the 142-byte ping arrives").isEqualTo(1);
            assertThat(socket.counters().get(IoCounter.RX_OVERSIZE_DROPS)).as("the 3042-byte ping").isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "ring {0}")
    @ValueSource(booleans = {false, true})
    void without_the_vnet_header_frames_with_a_checksum_left_to_offload_are_dropped_and_counted(boolean ring)
        throws Exception {
        ns.exec("ethtool", "-K", "eth0", "tx", "on");
        ns.exec("ip", "neigh", "add", "198.51.100.20", "lladdr", "02:00:00:00:00:01", "dev", "eth0");
        socket = PacketSocket.open(hostEnd, true, ring, false);
        try (FrameBatch batch = socket.newBatch(8); Epoll epoll = new Epoll(2)) {
            epoll.add(socket.fd(), Epoll.IN);
            // A UDP datagram from the namespace's stack: with tx checksum offload the veth passes it on with
            // CHECKSUM_PARTIAL, which AF_PACKET reports as TP_STATUS_CSUMNOTREADY.
            ns.exec("bash", "-c", "echo hello > /dev/udp/198.51.100.20/9");
            long deadline = System.nanoTime() + 2_000_000_000L;
            int[] ready = new int[2];
            while (System.nanoTime() < deadline
                && socket.counters().get(IoCounter.RX_PARTIAL_CHECKSUM_DROPS) == 0) {
                epoll.wait(ready, 100);
                receive(socket, batch);
            }
            assertThat(socket.counters().get(IoCounter.RX_PARTIAL_CHECKSUM_DROPS)).isEqualTo(1);
        }
    }

    /**
     * A tagged UDP frame whose checksum is left to fill in, sent from the namespace with its own vnet header: the veth
     * strips the tag, vxswitch puts it back, and the header it reads must then point 4 bytes further, at the UDP
     * checksum of the frame as delivered.
     */
    @ParameterizedTest(name = "ring {0}")
    @ValueSource(booleans = {false, true})
    void with_the_vnet_header_a_partial_checksum_arrives_with_offsets_that_follow_a_restored_tag(boolean ring)
        throws Exception {
        ns.exec("ethtool", "-K", "eth0", "tx", "on");
        socket = PacketSocket.open(hostEnd, true, ring, true);
        peer = NetworkNamespaces.callIn(ns.name(), () -> PacketSocket.open("eth0", true, false, true));
        try (Arena arena = Arena.ofConfined(); FrameBatch rx = socket.newBatch(16)) {
            MemorySegment b = arena.allocate(512);
            int vnet = VirtioNetHeader.LENGTH;
            int length = FrameBuilder.udp(b, vnet + 4, NS_SENDER_MAC, JAVA_MAC, Ipv4Address.of(198, 51, 100, 10),
                Ipv4Address.of(198, 51, 100, 20), 5000, 9, arena.allocate(100));
            length = FrameBuilder.pushVlanTag(b, vnet + 4, length, b, vnet, Dot1q.tci(0, false, 119));
            int udp = Ethernet.HEADER_LENGTH + Dot1q.LENGTH + 20;
            VirtioNetHeader.write(b, 0, VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, udp, 6);
            assertThat(peer.write(b, 0, vnet + length)).isEqualTo(vnet + length);

            List<String> received = receiveFrom(socket, rx, NS_SENDER_MAC, 1);

            assertThat(received).hasSize(1);
            assertThat(received.getFirst()).as("the frame, tag back in place")
                .isEqualTo(describe(b, vnet, length));
            long header = rx.frameOffset(0) - vnet;
            assertThat(VirtioNetHeader.flags(rx.buffer(), header) & VirtioNetHeader.F_NEEDS_CSUM).isNotZero();
            assertThat(VirtioNetHeader.csumStart(rx.buffer(), header)).as("csum_start, counted with the tag")
                .isEqualTo(udp);
            assertThat(VirtioNetHeader.csumOffset(rx.buffer(), header)).isEqualTo(6);
            assertThat(socket.counters().get(IoCounter.RX_PARTIAL_CHECKSUM_DROPS)).isZero();
        }
    }

    @Test
    void the_ring_delivers_every_frame_in_order_through_several_turns_around_it() throws Exception {
        socket = PacketSocket.open(hostEnd, true, true, false);
        RxRing ring = socket.rxRing();
        peer = NetworkNamespaces.callIn(ns.name(), () -> PacketSocket.open("eth0"));
        // 10,000 frames are 40 or more of the ring's 32 blocks (255 ARP frames fill one, fewer when the 1 ms retire
        // timer closes a block early): the reader follows the ring around more than once. They go out in bursts of
        // 250, each read before the next: a burst of thousands overran, on a loaded CI machine, the 1,000 frames a
        // CPU's backlog holds between the veth and the socket, or the ring itself once the timer had closed a block
        // per sendmmsg, and lost a frame before the reader was asked to read it.
        int rounds = 40;
        int perRound = 250;
        int expected = 0;
        int received = 0;
        try (FrameBatch tx = peer.newBatch(50); Epoll epoll = new Epoll(2)) {
            epoll.add(socket.fd(), Epoll.IN);
            int[] ready = new int[2];
            for (int round = 0; round < rounds; round++) {
                for (int sent = 0; sent < perRound; sent += tx.capacity()) {
                    for (int k = 0; k < tx.capacity(); k++) {
                        long slot = tx.slotOffset(k);
                        int length = FrameBuilder.arpRequest(tx.buffer(), slot, NS_SENDER_MAC,
                            Ipv4Address.of(192, 0, 2, 10), expected++);
                        tx.frame(k, slot, length);
                    }
                    assertThat(peer.send(tx, tx.capacity())).isEqualTo(tx.capacity());
                }
                long deadline = System.nanoTime() + 3_000_000_000L;
                while (received < expected && System.nanoTime() < deadline) {
                    epoll.wait(ready, 100);
                    while (ring.nextBlock()) {
                        while (ring.nextFrame()) {
                            MemorySegment m = ring.memory();
                            long at = ring.frameOffset();
                            if (Ethernet.src(m, at) == NS_SENDER_MAC) {
                                // the ARP target address (last 4 bytes) numbers the frames
                                int target = m.get(NET_INT, at + ring.frameLength() - 4);
                                assertThat(target).as("frame %d (ring drops %d)", received, socket.kernelDrops())
                                    .isEqualTo(received);
                                received++;
                            }
                        }
                        ring.releaseBlock();
                    }
                }
                assertThat(received).as("round %d", round).isEqualTo(expected);
            }
        }
        assertThat(socket.kernelDrops()).isZero();
        assertThat(socket.counters().get(IoCounter.RX_FRAMES)).isGreaterThanOrEqualTo(rounds * perRound);
    }

    @Test
    void a_ring_reader_sees_the_link_go_down_once_and_then_waits_quietly() throws Exception {
        socket = PacketSocket.open(hostEnd, true, true, false);
        try (Epoll epoll = new Epoll(2)) {
            epoll.add(socket.fd(), Epoll.IN);
            int[] ready = new int[2];
            Shell.check("ip", "link", "set", "dev", hostEnd, "down");
            assertThat(epoll.wait(ready, 2_000)).as("the error wakes the reader").isEqualTo(1);
            assertThat(socket.rxRing().nextBlock()).isFalse();
            assertThat(socket.takePendingError()).isZero();
            assertThat(socket.counters().get(IoCounter.RX_LINK_DOWN)).isEqualTo(1);
            assertThat(epoll.wait(ready, 200)).as("the error, once read, is not reported again").isZero();
        }
    }

    /** Frames from {@code src} received within 3 s, as hex, in order. */
    private static List<String> receiveFrom(PacketSocket s, FrameBatch batch, long src, int count) throws Exception {
        List<String> received = new ArrayList<>();
        try (Epoll epoll = new Epoll(2)) {
            epoll.add(s.fd(), Epoll.IN);
            int[] ready = new int[2];
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (received.size() < count && System.nanoTime() < deadline) {
                epoll.wait(ready, 100);
                int n = receive(s, batch);
                for (int k = 0; k < n; k++) {
                    if (Ethernet.src(batch.buffer(), batch.frameOffset(k)) == src) {
                        received.add(describe(batch.buffer(), batch.frameOffset(k), batch.frameLength(k)));
                    }
                }
            }
        }
        return received;
    }

    /**
     * Receives into {@code batch} through the socket's ring if it has one (frames copied out of the ring's blocks,
     * which go back to the kernel at once), else with {@link PacketSocket#receive}.
     */
    private static int receive(PacketSocket s, FrameBatch batch) {
        RxRing ring = s.rxRing();
        if (ring == null) {
            return s.receive(batch);
        }
        int n = 0;
        int vnet = batch.prefix();
        while (ring.nextBlock()) {
            while (ring.nextFrame()) {
                assertThat(n).as("more frames waiting in the ring than the test batch holds").isLessThan(batch.capacity());
                long slot = batch.slotOffset(n) + FrameBatch.HEADROOM; // the header, then the frame, as recvmmsg does
                MemorySegment.copy(ring.memory(), ring.frameOffset() - vnet, batch.buffer(), slot,
                    vnet + ring.frameLength());
                batch.frame(n++, slot + vnet, ring.frameLength());
            }
            ring.releaseBlock();
        }
        return n;
    }

    private static String describe(MemorySegment s, long offset, int length) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < length; i++) {
            hex.append(String.format("%02x", s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, offset + i)));
        }
        return hex.toString();
    }

    /** Answers for the test hosts from a packet socket, batched, until stopped. */
    private static final class Responder implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private volatile Throwable failure;
        volatile int ownFramesSeen;

        Responder(PacketSocket socket, TestHost... hosts) {
            thread = Thread.ofPlatform().name("packet-responder").start(() -> {
                try (FrameBatch rx = socket.newBatch(16); FrameBatch tx = socket.newBatch(16);
                     Epoll epoll = new Epoll(2)) {
                    epoll.add(socket.fd(), Epoll.IN);
                    int[] ready = new int[2];
                    while (running.get()) {
                        epoll.wait(ready, 50);
                        int n = receive(socket, rx);
                        int out = 0;
                        for (int k = 0; k < n; k++) {
                            MemorySegment b = rx.buffer();
                            long at = rx.frameOffset(k);
                            for (TestHost host : hosts) {
                                if (Ethernet.src(b, at) == host.mac) {
                                    ownFramesSeen++;
                                }
                                long slot = tx.slotOffset(out);
                                int vnet = socket.vnetHeader() ? VirtioNetHeader.LENGTH : 0;
                                int reply = host.answer(b, at, rx.frameLength(k), tx.buffer().asSlice(slot + vnet));
                                if (reply > 0) {
                                    if (vnet != 0) {
                                        VirtioNetHeader.writeNone(tx.buffer(), slot); // a finished frame
                                    }
                                    tx.frame(out++, slot, vnet + reply);
                                }
                            }
                        }
                        if (out > 0) {
                            socket.send(tx, out);
                        }
                    }
                } catch (Throwable t) {
                    failure = t;
                }
            });
        }

        void stop() {
            running.set(false);
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            stop();
            if (failure != null) {
                throw new AssertionError("responder failed", failure);
            }
        }
    }
}
