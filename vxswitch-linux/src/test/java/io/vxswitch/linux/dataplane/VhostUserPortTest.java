package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.linux.LinkState;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.poll.Epoll;
import io.vxswitch.linux.poll.EventFd;
import io.vxswitch.linux.vhost.DriverRing;
import io.vxswitch.linux.vhost.RingFault;
import io.vxswitch.linux.vhost.VhostUserEndpoint;
import io.vxswitch.linux.vhost.VirtioFeatures;
import io.vxswitch.packet.offload.Offload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.vxswitch.linux.dataplane.ForwardingAgentTest.VM1;
import static io.vxswitch.linux.dataplane.ForwardingAgentTest.VM2;
import static io.vxswitch.linux.dataplane.ForwardingAgentTest.arpReply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A vhost-user port's data path, driven as its forwarding agent drives it, over queues a test lays out as a guest's
 * driver would ({@link DriverRing}); the control side is called directly, as the session's commands would call it.
 */
class VhostUserPortTest {
    @TempDir
    Path dir;
    private final Arena arena = Arena.ofShared();
    private final DriverRing rxRing = new DriverRing(arena, 256 * 1024);
    private final DriverRing txRing = new DriverRing(arena, 256 * 1024);
    private final EventFd kick = new EventFd();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final RxFrame frame = new RxFrame();
    private Switch sw;
    private int other;
    private VhostUserPort port;

    @BeforeEach
    void start() {
        sw = new Switch(SwitchOptions.defaults("t"));
        sw.addPortGroup(new PortGroupPolicy("lan", VlanPolicy.none(), SecurityPolicy.VDS_DEFAULT,
            MacLearningPolicy.DISABLED));
        int vm = sw.addVnicPort("vm", "lan", VM1);
        other = sw.addVnicPort("other", "lan", VM2);
        port = VhostUserPort.open("vm", vm, 1522, true, dir.resolve("vm.sock"), VhostUserEndpoint.Mode.SERVER,
            log::add);
        port.negotiated(VirtioFeatures.bit(VirtioFeatures.F_VERSION_1) | VirtioFeatures.bit(VirtioFeatures.NET_F_MRG_RXBUF));
        port.startQueue(rxRing.queue(0), -1, -1, true);
        port.startQueue(txRing.queue(1), kick.fd(), -1, true);
    }

    @AfterEach
    void stop() {
        port.close();
        kick.close();
        arena.close();
    }

    private byte[] received() {
        byte[] b = new byte[frame.length];
        MemorySegment.copy(frame.segment, java.lang.foreign.ValueLayout.JAVA_BYTE, frame.offset, b, 0, frame.length);
        return b;
    }

    /** The switch's decision on {@code bytes} arriving on the other port: one copy, for the vhost-user port. */
    private ForwardingDecision toGuest(byte[] bytes) {
        ForwardingDecision d = sw.newDecision();
        sw.lane(0).forward(other, MemorySegment.ofArray(bytes), 0, bytes.length, 0, d);
        assertThat(d.egressCount()).isEqualTo(1);
        return d;
    }

    @Test
    void a_server_socket_given_to_a_group_is_its_to_read_and_write_and_nobody_elses() throws IOException {
        // daemon: in every Debian's base-passwd, unlike kvm, which a container may lack
        Path sock = dir.resolve("shared.sock");
        List<VhostUserPort> shared = VhostUserPort.openPairs("vm2", other, 1, 1522, true, sock,
            VhostUserEndpoint.Mode.SERVER, "daemon", log::add);
        try {
            assertThat(Files.readAttributes(sock, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group()
                .getName()).isEqualTo("daemon");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock, LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-rw----");
            assertThat(shared.getFirst().describe()).isEqualTo("vhost-user socket " + sock + " (server, group daemon)");
        } finally {
            shared.getFirst().close();
        }
        Path unshared = dir.resolve("nogroup.sock");
        assertThatThrownBy(() -> VhostUserPort.openPairs("vm3", 5, 1, 1522, true, unshared, VhostUserEndpoint.Mode.SERVER,
            "no-such-group-here", log::add)).isInstanceOf(LinuxException.class)
            .hasMessageContaining("cannot give the vhost-user socket " + unshared + " to group no-such-group-here")
            .hasMessageContaining("there is no such group on this host");
        assertThat(unshared).as("no socket left behind for a front-end to find dead").doesNotExist();
    }

    @Test
    void a_frame_the_guest_transmits_is_read_out_of_its_ring_and_the_buffer_given_back() {
        byte[] f = arpReply(VM1, VM2);
        txRing.transmit(f);

        assertThat(port.receive(frame, 0)).isEqualTo(PortDevice.FRAME);
        assertThat(received()).isEqualTo(f);
        assertThat(frame.offload.isPlain()).isTrue();
        assertThat(port.receive(frame, 0)).isEqualTo(PortDevice.NONE);
        assertThat(txRing.usedIdx()).as("the buffer is the guest's again").isEqualTo(1);
        assertThat(port.linkState()).isEqualTo(LinkState.UP);
    }

    /** True if the agent's epoll would see the port ready now. */
    private boolean portReady() {
        try (Epoll e = new Epoll(1)) {
            e.add(port.fd(), Epoll.IN);
            return e.wait(new int[1], 0) == 1;
        }
    }

    @Test
    void a_kick_that_came_while_the_transmit_queue_was_disabled_is_answered_once_the_queue_is_enabled() {
        // DPDK's virtio-user sends SET_VRING_ENABLE and starts sending at once: its first kick can reach the agent
        // before the enable command does. The agent's turn drains that kick and leaves the disabled ring alone.
        port.enableQueue(1, false);
        byte[] f = arpReply(VM1, VM2);
        txRing.transmit(f);
        kick.signal();
        assertThat(portReady()).isTrue();
        assertThat(port.receive(frame, 0)).as("a disabled ring is left alone").isEqualTo(PortDevice.NONE);
        assertThat(portReady()).as("the kick is drained").isFalse();

        port.enableQueue(1, true); // the guest kicks no more: its frame is already in the ring

        assertThat(portReady()).as("an enabled ring is looked at once").isTrue();
        assertThat(port.receive(frame, 0)).isEqualTo(PortDevice.FRAME);
        assertThat(received()).isEqualTo(f);
    }

    @Test
    void a_ring_that_starts_with_frames_in_it_is_looked_at_without_a_kick() {
        // a front-end that reconnects (or a driver restarted with a base past zero) has frames queued already
        port.stopQueue(1);
        DriverRing fresh = new DriverRing(arena, 256 * 1024);
        byte[] f = arpReply(VM1, VM2);
        fresh.transmit(f);
        port.startQueue(fresh.queue(1), kick.fd(), -1, true);

        assertThat(portReady()).isTrue();
        assertThat(port.receive(frame, 0)).isEqualTo(PortDevice.FRAME);
        assertThat(received()).isEqualTo(f);
    }

    @Test
    void a_guest_that_points_a_descriptor_outside_its_memory_gets_its_port_stopped_said_once_and_counted() {
        txRing.desc(5, 0x7777_0000_0000L, 60, 0, 0);
        txRing.offer(5);
        txRing.transmit(arpReply(VM1, VM2)); // a good frame behind the bad one

        assertThat(port.receive(frame, 0)).isEqualTo(PortDevice.NONE);
        assertThat(port.guestRingErrors()).isEqualTo(1);
        assertThat(port.fault()).isEqualTo(RingFault.OUTSIDE_MEMORY);
        assertThat(port.linkState()).isEqualTo(LinkState.DOWN);
        assertThat(port.takeNotice()).isEqualTo("the guest wrote garbage in its rings: queue 1: descriptor 5 points"
            + " outside the guest's memory (address 0x777700000000, 60 bytes); port stopped (counted in"
            + " guest_ring_errors) until the guest's driver restarts its rings or the front-end reconnects");
        assertThat(port.takeNotice()).as("said once").isNull();
        assertThat(port.receive(frame, 0)).as("the good frame behind it is not read").isEqualTo(PortDevice.NONE);
        port.send(toGuest(arpReply(VM2, VM1)), 0, new Offload(), 0);
        assertThat(rxRing.usedIdx()).as("nothing written into a stopped guest").isZero();

        // the driver resets: its rings stop and start again from scratch
        port.stopQueue(1);
        DriverRing fresh = new DriverRing(arena, 256 * 1024);
        port.startQueue(fresh.queue(1), kick.fd(), -1, true);
        byte[] f = arpReply(VM1, VM2);
        fresh.transmit(f);
        assertThat(port.receive(frame, 0)).isEqualTo(PortDevice.FRAME);
        assertThat(received()).isEqualTo(f);
        assertThat(port.guestRingErrors()).as("a counter, not a state").isEqualTo(1);
    }

    @Test
    void a_frame_for_the_guest_spans_small_mergeable_buffers_and_says_how_many_it_took() {
        int first = rxRing.receiveBuffer(40);
        int second = rxRing.receiveBuffer(40);
        byte[] f = arpReply(VM2, VM1);

        port.send(toGuest(f), 0, new Offload(), 0);
        assertThat(rxRing.usedIdx()).as("published at the end of the turn").isZero();
        port.flush();

        assertThat(rxRing.usedIdx()).isEqualTo(2);
        assertThat(rxRing.usedLength(0)).isEqualTo(40);
        assertThat(rxRing.usedLength(1)).isEqualTo(12 + f.length - 40);
        byte[] header = rxRing.bufferBytes(first, 12);
        assertThat(header[10]).as("num_buffers").isEqualTo((byte) 2);
        byte[] both = new byte[80];
        System.arraycopy(rxRing.bufferBytes(first, 40), 0, both, 0, 40);
        System.arraycopy(rxRing.bufferBytes(second, 40), 0, both, 40, 40);
        assertThat(Arrays.copyOfRange(both, 12, 12 + f.length)).isEqualTo(f);
    }

    @Test
    void a_frame_the_guest_has_no_buffers_for_is_dropped_and_counted_and_takes_no_buffer() {
        rxRing.receiveBuffer(40); // 72 bytes do not fit in 40
        port.send(toGuest(arpReply(VM2, VM1)), 0, new Offload(), 0);
        port.flush();
        assertThat(port.txQueueFull()).isEqualTo(1);
        assertThat(rxRing.usedIdx()).as("the one buffer stays the switch's for the next frame").isZero();
    }
}
