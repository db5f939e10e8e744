package io.vxswitch.linux.udp;

import io.vxswitch.linux.IoCounter;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.poll.Epoll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Batches over loopback (127.0.0.1 and ::1): no root and no namespace needed. */
class UdpSocketTest {
    private static final IpAddress V4 = IpAddress.parse("127.0.0.1");
    private static final IpAddress V6 = IpAddress.parse("::1");

    @Test
    void an_ipv4_batch_arrives_with_its_lengths_contents_and_source() throws Exception {
        roundTrip(V4);
    }

    @Test
    void an_ipv6_batch_arrives_with_its_lengths_contents_and_source() throws Exception {
        assumeIpv6Loopback();
        roundTrip(V6);
    }

    private static void roundTrip(IpAddress local) throws Exception {
        try (UdpSocket a = UdpSocket.bind(local, 0); UdpSocket b = UdpSocket.bind(local, 0);
             UdpBatch tx = new UdpBatch(8, 2048); UdpBatch rx = new UdpBatch(4, 2048)) {
            assertThat(a.localPort()).isPositive();
            assertThat(a.isIpv6()).isEqualTo(!local.isIpv4());
            for (int i = 0; i < 6; i++) {
                fill(tx.buffer(), tx.slotOffset(i), 100 + i * 50, i);
                tx.datagram(i, 100 + i * 50, local.high(), local.low(), b.localPort());
            }

            assertThat(a.send(tx, 6)).isEqualTo(6);
            for (int i = 0; i < 6; i++) {
                assertThat(tx.sendResult(i)).isEqualTo(100 + i * 50);
            }

            List<Integer> lengths = new ArrayList<>();
            receive(b, rx, 6, (i) -> {
                int n = rx.length(i);
                lengths.add(n);
                assertThat(rx.sourceHigh(i)).isEqualTo(local.high());
                assertThat(rx.sourceLow(i)).isEqualTo(local.low());
                assertThat(rx.sourcePort(i)).isEqualTo(a.localPort());
                assertThat(rx.truncated(i)).isFalse();
                int seed = (n - 100) / 50;
                assertThat(matches(rx.buffer(), rx.slotOffset(i), n, seed)).as("payload %d", seed).isTrue();
            });
            assertThat(lengths).containsExactly(100, 150, 200, 250, 300, 350);
            assertThat(b.counters().get(IoCounter.RX_FRAMES)).isEqualTo(6);
            assertThat(a.counters().get(IoCounter.TX_BYTES)).isEqualTo(100 + 150 + 200 + 250 + 300 + 350);
        }
    }

    @Test
    void a_gso_message_arrives_as_datagrams_of_the_segment_size_with_a_plain_one_after_it() throws Exception {
        try (UdpSocket a = UdpSocket.bind(V4, 0); UdpSocket b = UdpSocket.bind(V4, 0);
             UdpBatch tx = new UdpBatch(4, 2048); UdpBatch rx = new UdpBatch(16, 2048)) {
            assertThat(a.supportsSegmentation()).as("UDP_SEGMENT, Linux 4.18+").isTrue();
            // five datagrams of 1000 bytes and a last one of 300, back to back from offset 0 (across slots 0-2)
            for (int k = 0; k < 6; k++) {
                fill(tx.buffer(), k * 1000L, k < 5 ? 1000 : 300, k);
            }
            tx.message(0, 0, 5300, 1000, V4.high(), V4.low(), b.localPort());
            fill(tx.buffer(), 5312, 77, 9);
            tx.message(1, 5312, 77, 0, V4.high(), V4.low(), b.localPort());
            assertThat(a.send(tx, 2)).isEqualTo(2);
            assertThat(tx.sendResult(0)).isEqualTo(5300);

            List<Integer> lengths = new ArrayList<>();
            receive(b, rx, 7, i -> {
                int n = rx.length(i);
                int seed = lengths.size() < 6 ? lengths.size() : 9;
                assertThat(matches(rx.buffer(), rx.slotOffset(i), n, seed)).as("datagram %d", lengths.size()).isTrue();
                lengths.add(n);
            });
            assertThat(lengths).containsExactly(1000, 1000, 1000, 1000, 1000, 300, 77);
        }
    }

    @Test
    void a_socket_with_udp_gro_takes_a_gso_train_whole_with_its_segment_size() throws Exception {
        try (UdpSocket a = UdpSocket.bind(V4, 0); UdpSocket b = UdpSocket.bind(V4, 0);
             UdpBatch tx = new UdpBatch(4, 2048); UdpBatch rx = new UdpBatch(4, 65_536)) {
            assertThat(b.receiveCoalesced()).as("UDP_GRO, Linux 5.0+").isTrue();
            for (int k = 0; k < 4; k++) {
                fill(tx.buffer(), k * 1000L, k < 3 ? 1000 : 400, k);
            }
            tx.message(0, 0, 3400, 1000, V4.high(), V4.low(), b.localPort());
            assertThat(a.send(tx, 1)).isEqualTo(1);
            receive(b, rx, 1, i -> {
                assertThat(rx.length(i)).isEqualTo(3400);
                assertThat(rx.segmentSize(i)).as("the size of each datagram joined").isEqualTo(1000);
                for (int k = 0; k < 4; k++) {
                    assertThat(matches(rx.buffer(), rx.slotOffset(i) + k * 1000L, k < 3 ? 1000 : 400, k)).isTrue();
                }
            });
            // a lone datagram comes without a segment size
            fill(tx.buffer(), 0, 77, 5);
            tx.datagram(0, 77, V4.high(), V4.low(), b.localPort());
            assertThat(a.send(tx, 1)).isEqualTo(1);
            receive(b, rx, 1, i -> assertThat(rx.segmentSize(i)).isZero());
        }
    }

    /** What makes a tunnel fall back to one datagram per segment: the refusal comes back for that message. */
    @Test
    void a_gso_message_the_kernel_refuses_gets_its_errno_and_the_plain_one_after_it_still_goes() throws Exception {
        try (UdpSocket a = UdpSocket.bind(V4, 0); UdpSocket b = UdpSocket.bind(V4, 0);
             UdpBatch tx = new UdpBatch(4, 2048); UdpBatch rx = new UdpBatch(4, 2048)) {
            a.zeroChecksum(true); // Linux refuses GSO without UDP checksums
            tx.message(0, 0, 3000, 1000, V4.high(), V4.low(), b.localPort());
            fill(tx.buffer(), 4096, 50, 3);
            tx.message(1, 4096, 50, 0, V4.high(), V4.low(), b.localPort());
            assertThat(a.send(tx, 2)).isEqualTo(1);
            assertThat(tx.sendResult(0)).isEqualTo(-Errno.EINVAL);
            assertThat(tx.sendResult(1)).isEqualTo(50);
            receive(b, rx, 1, i -> assertThat(rx.length(i)).isEqualTo(50));
        }
    }

    @Test
    void the_ipv4_source_is_also_given_as_an_int() throws Exception {
        try (UdpSocket a = UdpSocket.bind("127.0.0.1", 0); UdpSocket b = UdpSocket.bind("127.0.0.1", 0);
             UdpBatch tx = new UdpBatch(1, 64); UdpBatch rx = new UdpBatch(1, 64)) {
            tx.datagramIpv4(0, 10, 0x7F000001, b.localPort());
            assertThat(a.send(tx, 1)).isEqualTo(1);
            receive(b, rx, 1, (i) -> assertThat(rx.sourceIpv4(i)).isEqualTo(0x7F000001));
        }
    }

    @Test
    void a_datagram_the_kernel_refuses_is_marked_and_the_rest_of_the_batch_still_goes() throws Exception {
        try (UdpSocket a = UdpSocket.bind(V4, 0); UdpSocket b = UdpSocket.bind(V4, 0);
             UdpBatch tx = new UdpBatch(4, 256); UdpBatch rx = new UdpBatch(4, 256)) {
            tx.datagram(0, 10, V4.high(), V4.low(), b.localPort());
            tx.datagram(1, 11, 0x2001_0db8_0000_0000L, 1, b.localPort()); // IPv6 from an IPv4 socket
            tx.datagram(2, 12, V4.high(), V4.low(), b.localPort());

            assertThat(a.send(tx, 3)).isEqualTo(2);

            assertThat(tx.sendResult(0)).isEqualTo(10);
            assertThat(tx.sendResult(1)).isEqualTo(-Errno.EAFNOSUPPORT);
            assertThat(tx.sendResult(2)).isEqualTo(12);
            assertThat(a.counters().get(IoCounter.TX_ERRORS)).isEqualTo(1);
            List<Integer> lengths = new ArrayList<>();
            receive(b, rx, 2, (i) -> lengths.add(rx.length(i)));
            assertThat(lengths).containsExactly(10, 12);
        }
    }

    @Test
    void a_datagram_longer_than_a_slot_is_cut_and_flagged() throws Exception {
        try (UdpSocket a = UdpSocket.bind(V4, 0); UdpSocket b = UdpSocket.bind(V4, 0);
             UdpBatch tx = new UdpBatch(1, 4096); UdpBatch rx = new UdpBatch(2, 1024)) {
            tx.datagram(0, 3000, V4.high(), V4.low(), b.localPort());
            a.send(tx, 1);
            receive(b, rx, 1, (i) -> {
                assertThat(rx.truncated(i)).isTrue();
                assertThat(rx.length(i)).isEqualTo(rx.slotSize());
            });
        }
    }

    @Test
    void send_to_carries_one_datagram_without_a_batch() throws Exception {
        assumeIpv6Loopback();
        try (UdpSocket a = UdpSocket.bind(V6, 0); UdpSocket b = UdpSocket.bind(V6, 0);
             UdpBatch rx = new UdpBatch(2, 256); java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(64);
            assertThat(a.sendTo(buf, 8, 20, V6.high(), V6.low(), b.localPort())).isEqualTo(20);
            receive(b, rx, 1, (i) -> assertThat(rx.length(i)).isEqualTo(20));
        }
    }

    @Test
    void receive_returns_zero_when_nothing_is_waiting() {
        try (UdpSocket a = UdpSocket.bind(V4, 0); UdpBatch rx = new UdpBatch(2, 256)) {
            assertThat(a.receive(rx)).isZero();
        }
    }

    @Test
    void the_pool_sends_each_flow_from_one_source_port_in_order() throws Exception {
        try (UdpSocketPool pool = UdpSocketPool.open(V4, 0, 4, 49152, 65535);
             UdpSocket peer = UdpSocket.bind(V4, 0);
             UdpBatch tx = new UdpBatch(32, 256); UdpBatch rx = new UdpBatch(32, 256)) {
            int[] ports = new int[pool.senderCount()];
            for (int s = 0; s < ports.length; s++) {
                ports[s] = pool.sender(s).localPort();
                assertThat(ports[s]).isBetween(49152, 65535);
            }
            assertThat(ports).doesNotHaveDuplicates();
            int[] flows = {49152, 50001, 53333, 57000, 61234, 65535}; // each flow's source port, as the VTEP hashed it
            for (int i = 0; i < 24; i++) {
                int flow = flows[i % flows.length];
                tx.buffer().set(ValueLayout.JAVA_INT, tx.slotOffset(i), flow);
                tx.buffer().set(ValueLayout.JAVA_INT, tx.slotOffset(i) + 4, i);
                tx.datagram(i, 8, V4.high(), V4.low(), peer.localPort());
                tx.sourcePort(i, flow);
            }

            assertThat(pool.send(tx, 24)).isEqualTo(24);

            Map<Integer, Integer> portOfFlow = new HashMap<>();
            Map<Integer, Integer> lastSeqOfFlow = new HashMap<>();
            receive(peer, rx, 24, (i) -> {
                int flow = rx.buffer().get(ValueLayout.JAVA_INT, rx.slotOffset(i));
                int seq = rx.buffer().get(ValueLayout.JAVA_INT, rx.slotOffset(i) + 4);
                assertThat(rx.sourcePort(i)).isEqualTo(ports[pool.senderIndex(flow)]);
                assertThat(portOfFlow.merge(flow, rx.sourcePort(i), (x, y) -> x)).isEqualTo(rx.sourcePort(i));
                Integer last = lastSeqOfFlow.put(flow, seq);
                assertThat(last == null || last < seq).as("flow %x in order", flow).isTrue();
            });
            assertThat(portOfFlow).hasSize(flows.length);
            assertThat(pool.receiver().localPort()).isPositive();
        }
    }

    @Test
    void the_pool_spreads_the_source_ports_of_rfc_7348s_range_over_all_senders() {
        try (UdpSocketPool pool = UdpSocketPool.open(V4, 0, 8, 0, 0)) {
            int[] hits = new int[8];
            for (int port = 49152; port <= 65535; port++) { // RFC 7348 §5, what SourcePortHash gives
                hits[pool.senderIndex(port)]++;
            }
            for (int hit : hits) {
                assertThat(hit).as("ports per sender of %s", Arrays.toString(hits)).isBetween(1_900, 2_200);
            }
        }
    }

    interface SlotCheck {
        void check(int slot) throws Exception;
    }

    /** Receives until {@code expected} datagrams arrived or 3 s passed, checking each. */
    static void receive(UdpSocket s, UdpBatch rx, int expected, SlotCheck check) throws Exception {
        int got = 0;
        try (Epoll epoll = new Epoll(1)) {
            epoll.add(s.fd(), Epoll.IN);
            int[] ready = new int[1];
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (got < expected && System.nanoTime() < deadline) {
                epoll.wait(ready, 100);
                int n = s.receive(rx);
                assertThat(n).isNotNegative();
                for (int i = 0; i < n; i++) {
                    check.check(i);
                }
                got += n;
            }
        }
        assertThat(got).as("datagrams received").isEqualTo(expected);
    }

    private static void fill(MemorySegment s, long at, int length, int seed) {
        for (int i = 0; i < length; i++) {
            s.set(ValueLayout.JAVA_BYTE, at + i, (byte) (seed * 31 + i));
        }
    }

    private static boolean matches(MemorySegment s, long at, int length, int seed) {
        for (int i = 0; i < length; i++) {
            if (s.get(ValueLayout.JAVA_BYTE, at + i) != (byte) (seed * 31 + i)) {
                return false;
            }
        }
        return true;
    }

    static void assumeIpv6Loopback() {
        try (UdpSocket probe = UdpSocket.bind(V6, 0)) {
            assumeTrue(probe.localPort() > 0);
        } catch (RuntimeException e) {
            assumeTrue(false, "skipped: no IPv6 loopback here (" + e.getMessage() + ")");
        }
    }
}
