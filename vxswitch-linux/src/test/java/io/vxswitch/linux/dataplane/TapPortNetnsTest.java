package io.vxswitch.linux.dataplane;

import io.vxswitch.linux.IoCounter;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.Netns;
import io.vxswitch.linux.NetworkNamespaces;
import io.vxswitch.linux.Shell;
import io.vxswitch.linux.packet.FrameBatch;
import io.vxswitch.linux.packet.PacketSocket;
import io.vxswitch.linux.poll.Epoll;
import io.vxswitch.linux.tap.TapDevice;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Ipv4Address;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A tap port read both ways ({@link TapReadMode}): a namespace sends numbered frames out of the tap, and the test
 * reads them as a forwarding agent does, a turn only when its epoll says the port's descriptor is ready. Every frame
 * comes, in the order sent, through turns cut at the batch; a deleted tap is told as {@code GONE}; a closed port
 * takes the tap with it. Where io_uring is switched off, a ring is refused with what to do, and {@code auto} reads.
 */
@Tag("netns")
class TapPortNetnsTest {
    private static final long NS_MAC = 0x02_00_00_00_01_19L;
    private static final ValueLayout.OfInt NET_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Netns ns;
    private String name;
    private TapPort port;
    private PacketSocket sender;

    @BeforeEach
    void setUp() {
        Netns.assumeTapAvailable();
        ns = Netns.create();
        name = Netns.linkName();
        ns.ownRootLink(name);
    }

    @AfterEach
    void tearDown() {
        if (sender != null) {
            sender.close();
        }
        if (port != null) {
            port.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    private void open(TapReadMode mode) throws Exception {
        TapDevice tap = TapDevice.create(name);
        port = new TapPort(tap, 0, 1522, mode);
        Shell.check("ip", "link", "set", "dev", name, "netns", ns.name());
        ns.exec("ip", "link", "set", "dev", name, "up");
        sender = NetworkNamespaces.callIn(ns.name(), () -> PacketSocket.open(name));
    }

    @ParameterizedTest
    @EnumSource(TapReadMode.class)
    void every_frame_comes_in_the_order_sent_through_turns_cut_at_the_batch(TapReadMode mode) throws Exception {
        open(mode);
        assertThat(port.readsThroughIoUring()).as("auto: io_uring where the kernel can")
            .isEqualTo(mode == TapReadMode.RING || mode == TapReadMode.AUTO && TapReadMode.whyNotRing() == null);
        if (TapReadMode.whyNotRing() == null) {
            assertThat(port.ringRefusal()).as("no refusal to tell").isNull();
        }
        RxFrame frame = new RxFrame();
        int expected = 0;
        int received = 0;
        int turns = 0;
        // bursts of 250: a tap queues 500 frames for its reader before it drops (TUN_READQ_SIZE)
        try (FrameBatch tx = sender.newBatch(50); Epoll epoll = new Epoll(2)) {
            epoll.add(port.fd(), Epoll.IN);
            int[] ready = new int[2];
            for (int burst = 0; burst < 20; burst++) {
                for (int sent = 0; sent < 250; sent += tx.capacity()) {
                    for (int k = 0; k < tx.capacity(); k++) {
                        long slot = tx.slotOffset(k);
                        tx.frame(k, slot, FrameBuilder.arpRequest(tx.buffer(), slot, NS_MAC,
                            Ipv4Address.of(192, 0, 2, 10), expected++));
                    }
                    assertThat(sender.send(tx, tx.capacity())).isEqualTo(tx.capacity());
                }
                long deadline = System.nanoTime() + 3_000_000_000L;
                while (received < expected && System.nanoTime() < deadline) {
                    if (epoll.wait(ready, 100) == 0) {
                        continue; // a turn only when the descriptor says so, as the agent does
                    }
                    turns++;
                    int r;
                    while ((r = port.receive(frame, 0)) == PortDevice.FRAME) {
                        if (Ethernet.src(frame.segment, frame.offset) == NS_MAC) {
                            int number = frame.segment.get(NET_INT, frame.offset + frame.length - 4);
                            assertThat(number).as("frame %d", received).isEqualTo(received);
                            received++;
                        }
                    }
                    assertThat(r).isEqualTo(PortDevice.NONE);
                }
                assertThat(received).as("burst %d", burst).isEqualTo(expected);
            }
        }
        assertThat(turns).as("a turn takes at most a batch").isGreaterThanOrEqualTo(5_000 / TapPort.BATCH);
        assertThat(port.tap().counters().get(IoCounter.RX_FRAMES)).isGreaterThanOrEqualTo(5_000);
        assertThat(port.tap().counters().get(IoCounter.RX_ERRORS)).isZero();
    }

    /** Counted by the JVM for the test thread, as {@code io.vxswitch.linux.AllocationTest} counts the devices. */
    @ParameterizedTest
    @EnumSource(TapReadMode.class)
    void receiving_allocates_nothing(TapReadMode mode) throws Exception {
        open(mode);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        RxFrame frame = new RxFrame();
        try (FrameBatch tx = sender.newBatch(1); Epoll epoll = new Epoll(2)) {
            epoll.add(port.fd(), Epoll.IN);
            int[] ready = new int[2];
            long slot = tx.slotOffset(0);
            tx.frame(0, slot, FrameBuilder.arpRequest(tx.buffer(), slot, NS_MAC, Ipv4Address.of(192, 0, 2, 10), 7));
            long least = Long.MAX_VALUE;
            // the first windows warm the JIT up: until C2 inlines the downcall adapters into the receive path, the JDK
            // slices the errno capture segment per call (AllocationTest says more)
            for (int window = 0; window < 40 && least > 0; window++) {
                long before = threads.getThreadAllocatedBytes(tid);
                int received = 0;
                for (int i = 0; i < 2_000; i++) {
                    sender.send(tx, 1);
                    for (int tries = 0; tries < 100; tries++) {
                        epoll.wait(ready, 10);
                        int r;
                        boolean got = false;
                        while ((r = port.receive(frame, 0)) == PortDevice.FRAME) {
                            got |= Ethernet.src(frame.segment, frame.offset) == NS_MAC;
                        }
                        if (got) {
                            received++;
                            break;
                        }
                    }
                }
                assertThat(received).isEqualTo(2_000);
                least = Math.min(least, threads.getThreadAllocatedBytes(tid) - before);
            }
            assertThat(least).as("bytes allocated for 2,000 frames, in the quietest window").isLessThan(16 * 1024);
        }
    }

    /**
     * Switched off by the administrator ({@code kernel.io_uring_disabled}, as a seccomp filter or an old kernel
     * refuses it too): asked for, a ring is refused with what to do; {@code auto} reads with read(2), and says why.
     */
    @Test
    void where_io_uring_is_switched_off_a_ring_is_refused_with_what_to_do_and_auto_reads() throws Exception {
        Path sysctl = Path.of("/proc/sys/kernel/io_uring_disabled");
        Assumptions.assumeTrue(Files.isWritable(sysctl), "no kernel.io_uring_disabled to set here");
        String before = Files.readString(sysctl).trim();
        TapDevice tap = TapDevice.create(name);
        try {
            Files.writeString(sysctl, "2");
            assertThatThrownBy(() -> new TapPort(tap, 0, 1522, TapReadMode.RING))
                .isInstanceOf(LinuxException.class)
                .hasMessageContaining("kernel.io_uring_disabled")
                .hasMessageContaining("set switch.tapReads: read");
            assertThat(TapReadMode.whyNotRing()).contains("kernel.io_uring_disabled");
            port = new TapPort(tap, 0, 1522, TapReadMode.AUTO);
            assertThat(port.readsThroughIoUring()).isFalse();
            assertThat(port.ringRefusal()).as("the refusal, kept for the port's line").isNotNull()
                .satisfies(e -> assertThat(e.errnoName()).isEqualTo("EPERM"));
            assertThat(port.fd()).as("read(2): the tap's own descriptor is waited on").isEqualTo(tap.fd());
        } finally {
            Files.writeString(sysctl, before);
            if (port == null) {
                tap.close();
            }
        }
        assertThat(TapReadMode.whyNotRing()).as("with io_uring back").isNull();
    }

    @ParameterizedTest
    @EnumSource(TapReadMode.class)
    void a_deleted_tap_is_told_once_as_gone(TapReadMode mode) throws Exception {
        open(mode);
        RxFrame frame = new RxFrame();
        try (Epoll epoll = new Epoll(2)) {
            epoll.add(port.fd(), Epoll.IN);
            int[] ready = new int[2];
            while (epoll.wait(ready, 0) > 0) { // what woke it so far, and what the namespace said on link-up
                while (port.receive(frame, 0) == PortDevice.FRAME) {
                    // taken
                }
            }
            ns.exec("ip", "link", "del", "dev", name);
            assertThat(epoll.wait(ready, 2_000)).as("the deletion wakes the reader").isEqualTo(1);
            assertThat(port.receive(frame, 0)).isEqualTo(PortDevice.GONE);
            assertThat(port.linkState()).isEqualTo(io.vxswitch.linux.LinkState.GONE);
        }
        sender.close();
        sender = null;
    }

    @ParameterizedTest
    @EnumSource(TapReadMode.class)
    void closing_the_port_removes_its_tap(TapReadMode mode) throws Exception {
        open(mode);
        RxFrame frame = new RxFrame();
        while (port.receive(frame, 0) == PortDevice.FRAME) {
            // what the namespace's kernel said when the link came up; then the read is armed, if a ring
        }
        closeAndExpectTheTapGone();
    }

    /**
     * The conductor closes a removed port while the agent that armed its read lives on, asleep in its epoll: the
     * read's completions are the agent's to post, yet the ring is killed in the conductor's close and the tap goes
     * (a ring still mapped, or still open anywhere, would keep its read armed and the tap held for seconds).
     */
    @ParameterizedTest
    @EnumSource(TapReadMode.class)
    void a_port_closed_from_another_thread_than_its_reader_removes_its_tap(TapReadMode mode)
            throws Exception {
        open(mode);
        java.util.concurrent.CountDownLatch armed = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread agent = Thread.ofPlatform().start(() -> {
            RxFrame frame = new RxFrame();
            try (Epoll epoll = new Epoll(2)) {
                epoll.add(port.fd(), Epoll.IN);
                while (port.receive(frame, 0) == PortDevice.FRAME) {
                    // the link-up chatter; the read is armed in this thread now
                }
                armed.countDown();
                int[] ready = new int[2];
                while (!stop.get()) {
                    epoll.wait(ready, 50); // the closed port's descriptor leaves the set as it is closed
                }
            }
        });
        assertThat(armed.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Thread.sleep(20); // the agent asleep in epoll_wait
        closeAndExpectTheTapGone();
        stop.set(true);
        agent.join();
    }

    /** Shut-down closes the ports after the agents' threads have ended: the reads of a thread end with it. */
    @ParameterizedTest
    @EnumSource(TapReadMode.class)
    void a_port_closed_after_its_reader_thread_ended_removes_its_tap(TapReadMode mode) throws Exception {
        open(mode);
        Thread agent = Thread.ofPlatform().start(() -> {
            RxFrame frame = new RxFrame();
            while (port.receive(frame, 0) == PortDevice.FRAME) {
                // the read is armed in this thread, which then ends
            }
        });
        agent.join();
        closeAndExpectTheTapGone();
    }

    /**
     * A tap read with {@code read(2)} goes within the close. One read through io_uring goes when the kernel has
     * cancelled the ring's armed read: mostly within the close as well, but where the cancel is the reading thread's
     * task work or the ring's exit work (a reader asleep or ended, the kernel's workqueue), some milliseconds after it
     * (up to 24 ms in 600 closes measured here, 3-15 % of them). So the test gives it the second that a port added
     * again under the name would wait ({@code TapDevice}'s wait on {@code EBUSY}); a ring left mapped holds the tap
     * for over 3 s, and fails it.
     */
    private void closeAndExpectTheTapGone() throws Exception {
        sender.close();
        sender = null;
        boolean ring = port.readsThroughIoUring();
        port.close();
        port = null;
        long deadline = System.nanoTime() + (ring ? 1_000_000_000L : 0L);
        boolean there;
        while ((there = ns.run("ip", "link", "show", "dev", name).ok()) && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
        assertThat(there).as(ring ? "the tap is gone within a second of the close" : "the tap is gone in the close")
            .isFalse();
        try (TapDevice again = NetworkNamespaces.callIn(ns.name(), () -> TapDevice.create(name))) {
            assertThat(again.name()).as("its name free again").isEqualTo(name);
        }
    }
}
