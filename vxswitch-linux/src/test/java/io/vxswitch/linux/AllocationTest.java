package io.vxswitch.linux;

import io.vxswitch.linux.packet.FrameBatch;
import io.vxswitch.linux.packet.PacketSocket;
import io.vxswitch.linux.poll.Epoll;
import io.vxswitch.linux.poll.EventFd;
import io.vxswitch.linux.tap.TapDevice;
import io.vxswitch.linux.udp.IpAddress;
import io.vxswitch.linux.udp.UdpBatch;
import io.vxswitch.linux.udp.UdpSocket;
import io.vxswitch.linux.udp.UdpSocketPool;
import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Ipv4Address;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Moving frames allocates nothing: counted by the JVM per thread over many calls after a warm-up, so one
 * boxed value or fresh segment per frame fails it. Both ends of every exchange run on the test thread.
 */
class AllocationTest {
    /** One 16-byte object per frame would exceed this many times over; the slack covers one-off JIT work. */
    private static final long SLACK = 64 * 1024;
    /**
     * Bytes per datagram tolerated in the UDP batch test: below the smallest object (16 bytes), so any per-frame
     * allocation fails, while the JDK's errno-capture slice (80 bytes per batch call, when C2 happens not to inline
     * the downcall adapter into its caller) does not. Capturing errno only on a second call after a failure is no way
     * out: a failed receive consumes the socket's pending error (ENETDOWN), which the second call then misses.
     */
    private static final long PER_DATAGRAM = 8;

    private interface Round {
        int run() throws Exception;
    }

    /**
     * Warms {@code round} up until three blocks in a row allocate nothing (at most 80 blocks), then returns the
     * bytes allocated over {@code rounds} more (the least of up to five such windows). The warm-up is needed: until C2 compiles the FFM downcall
     * adapters, the JDK itself slices the errno capture segment on every call
     * ({@code SharedUtils.checkCaptureSegment}) and customises method handles on the calling thread.
     */
    private static long allocatedBy(Round round, int rounds, int[] frames) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        int block = Math.max(1, rounds / 4);
        int quietBlocks = 0;
        for (int b = 0; b < 80 && quietBlocks < 3; b++) {
            long start = threads.getThreadAllocatedBytes(tid);
            for (int i = 0; i < block; i++) {
                round.run();
            }
            quietBlocks = threads.getThreadAllocatedBytes(tid) == start ? quietBlocks + 1 : 0;
        }
        // A window can still catch the JIT at work (a deoptimised call site runs in C1 code for a while and
        // allocates there); a per-frame allocation shows in every window. So: the least of up to five windows.
        long least = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5 && least >= SLACK; attempt++) {
            long before = threads.getThreadAllocatedBytes(tid);
            int moved = 0;
            for (int i = 0; i < rounds; i++) {
                moved += round.run();
            }
            least = Math.min(least, threads.getThreadAllocatedBytes(tid) - before);
            frames[0] = moved;
        }
        return least;
    }

    @Test
    void udp_batches_pool_sends_and_epoll_waits_allocate_nothing() throws Exception {
        IpAddress lo = IpAddress.parse("127.0.0.1");
        try (UdpSocketPool pool = UdpSocketPool.open(lo, 0, 4, 0, 0); UdpSocket single = UdpSocket.bind(lo, 0);
             UdpBatch tx = new UdpBatch(16, 256); UdpBatch rx = new UdpBatch(16, 256);
             Epoll epoll = new Epoll(4); EventFd wake = new EventFd(); Arena arena = Arena.ofConfined()) {
            UdpSocket receiver = pool.receiver();
            epoll.add(receiver.fd(), Epoll.IN);
            epoll.add(wake.fd(), Epoll.IN);
            MemorySegment one = arena.allocate(64);
            int[] ready = new int[4];
            int port = receiver.localPort();
            Round round = () -> {
                for (int i = 0; i < 16; i++) {
                    tx.datagram(i, 64 + i, lo.high(), lo.low(), port);
                    tx.sourcePort(i, 49152 + i * 997);
                }
                int sent = pool.send(tx, 16);
                sent += single.sendTo(one, 0, 32, lo.high(), lo.low(), port) > 0 ? 1 : 0;
                wake.signal();
                int got = 0;
                while (got < sent && epoll.wait(ready, 100) > 0) {
                    wake.drain();
                    int n = receiver.receive(rx);
                    for (int i = 0; i < n; i++) {
                        got += rx.sourcePort(i) > 0 && rx.sourceLow(i) == lo.low() ? 1 : 0;
                    }
                }
                return got;
            };
            int[] frames = new int[1];
            long allocated = allocatedBy(round, 3_000, frames);
            assertThat(frames[0]).isEqualTo(3_000 * 17);
            assertThat(allocated).as("bytes allocated for %d datagrams in batches of 16", frames[0])
                .isLessThan(Math.max(SLACK, PER_DATAGRAM * frames[0]));
        }
    }

    @Test
    @Tag("netns")
    void tap_reads_and_writes_allocate_nothing() throws Exception {
        Netns.assumeTapAvailable();
        String name = Netns.linkName();
        try (Netns ns = Netns.create(); TapDevice tap = TapDevice.create(name); Epoll epoll = new Epoll(2);
             Arena arena = Arena.ofConfined()) {
            ns.ownRootLink(name);
            Shell.check("ip", "link", "set", "dev", name, "netns", ns.name());
            ns.exec("ip", "link", "set", "dev", name, "up");
            try (PacketSocket peer = NetworkNamespaces.callIn(ns.name(), () -> PacketSocket.open(name));
                 FrameBatch peerRx = peer.newBatch(8)) {
                epoll.add(tap.fd(), Epoll.IN);
                MemorySegment frame = arena.allocate(2048);
                int length = FrameBuilder.arpRequest(frame, 0, 0x0200_0000_0001L, Ipv4Address.of(192, 0, 2, 1),
                    Ipv4Address.of(192, 0, 2, 2));
                MemorySegment in = arena.allocate(2048);
                int[] ready = new int[2];
                Round round = () -> {
                    peer.write(frame, 0, length);
                    int n = 0;
                    for (int tries = 0; n == 0 && tries < 100; tries++) {
                        n = tap.read(in, 0, 2048);
                        if (n == 0) {
                            epoll.wait(ready, 10);
                        }
                    }
                    if (n > 0) {
                        tap.write(in, 0, n);
                    }
                    int back = 0;
                    for (int tries = 0; back == 0 && tries < 100; tries++) {
                        back = peer.receive(peerRx);
                    }
                    return back;
                };
                int[] frames = new int[1];
                long allocated = allocatedBy(round, 5_000, frames);
                assertThat(frames[0]).isGreaterThanOrEqualTo(5_000);
                assertThat(allocated).as("bytes allocated for %d round trips", frames[0]).isLessThan(SLACK);
            }
        }
    }

    @Test
    @Tag("netns")
    void packet_socket_batches_with_tag_restoration_allocate_nothing() throws Exception {
        Netns.assumeAvailable();
        String hostEnd = Netns.linkName();
        try (Netns ns = Netns.create(); Epoll epoll = new Epoll(2)) {
            ns.ownRootLink(hostEnd);
            Shell.check("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", ns.name());
            Shell.check("sysctl", "-qw", "net.ipv6.conf." + hostEnd + ".disable_ipv6=1");
            Shell.check("ip", "link", "set", "dev", hostEnd, "up");
            ns.exec("ip", "link", "set", "dev", "eth0", "up");
            try (PacketSocket socket = PacketSocket.open(hostEnd);
                 PacketSocket peer = NetworkNamespaces.callIn(ns.name(), () -> PacketSocket.open("eth0"));
                 FrameBatch rx = socket.newBatch(8); FrameBatch peerTx = peer.newBatch(8);
                 FrameBatch peerRx = peer.newBatch(8)) {
                epoll.add(socket.fd(), Epoll.IN);
                MemorySegment b = peerTx.buffer();
                for (int k = 0; k < 8; k++) {
                    long slot = peerTx.slotOffset(k);
                    int length = FrameBuilder.arpRequest(b, slot + 4, 0x0200_0000_0001L,
                        Ipv4Address.of(192, 0, 2, 1), Ipv4Address.of(192, 0, 2, 2 + k));
                    length = FrameBuilder.pushVlanTag(b, slot + 4, length, b, slot, Dot1q.tci(0, false, 119));
                    peerTx.frame(k, slot, length);
                }
                int[] ready = new int[2];
                Round round = () -> {
                    peer.send(peerTx, 8);
                    int got = 0;
                    for (int tries = 0; got < 8 && tries < 100; tries++) {
                        int n = socket.receive(rx);
                        if (n > 0) {
                            socket.send(rx, n);
                            got += n;
                        } else {
                            epoll.wait(ready, 10);
                        }
                    }
                    int back = 0;
                    for (int tries = 0; back < got && tries < 1000; tries++) {
                        back += peer.receive(peerRx);
                    }
                    return back;
                };
                int[] frames = new int[1];
                long allocated = allocatedBy(round, 2_000, frames);
                assertThat(frames[0]).isEqualTo(2_000 * 8);
                assertThat(socket.counters().get(IoCounter.RX_VLAN_TAGS_RESTORED))
                    .isEqualTo(socket.counters().get(IoCounter.RX_FRAMES));
                assertThat(allocated).as("bytes allocated for %d frames", frames[0]).isLessThan(SLACK);
            }
        }
    }
}
