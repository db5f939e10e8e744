package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.linux.LinkState;
import io.vxswitch.linux.poll.Epoll;
import io.vxswitch.linux.poll.EventFd;
import io.vxswitch.linux.vhost.DriverRing;
import io.vxswitch.linux.vhost.VhostUserEndpoint;
import io.vxswitch.linux.vhost.VirtioFeatures;
import io.vxswitch.packet.offload.Offload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.vxswitch.linux.dataplane.ForwardingAgentTest.VM1;
import static io.vxswitch.linux.dataplane.ForwardingAgentTest.VM2;
import static io.vxswitch.linux.dataplane.ForwardingAgentTest.arpReply;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A vhost-user port with two queue pairs, one per forwarding loop, driven as two agents would drive them; the control
 * side is called as the session's commands would call it (virtqueues 0 and 1 are pair 0's, 2 and 3 pair 1's).
 */
class VhostUserPairsTest {
    @TempDir
    Path dir;
    private final Arena arena = Arena.ofShared();
    private final DriverRing rx0 = new DriverRing(arena, 256 * 1024);
    private final DriverRing tx0 = new DriverRing(arena, 256 * 1024);
    private final DriverRing rx1 = new DriverRing(arena, 256 * 1024);
    private final DriverRing tx1 = new DriverRing(arena, 256 * 1024);
    private final EventFd kick0 = new EventFd();
    private final EventFd kick1 = new EventFd();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final RxFrame frame = new RxFrame();
    private Switch sw;
    private int other;
    private VhostUserPort pair0;
    private VhostUserPort pair1;
    private VhostUserPairs control;

    @BeforeEach
    void start() {
        sw = new Switch(SwitchOptions.defaults("t"));
        sw.addPortGroup(new PortGroupPolicy("lan", VlanPolicy.none(), SecurityPolicy.VDS_DEFAULT,
            MacLearningPolicy.DISABLED));
        int vm = sw.addVnicPort("vm", "lan", VM1);
        other = sw.addVnicPort("other", "lan", VM2);
        List<VhostUserPort> pairs = VhostUserPort.openPairs("vm", vm, 2, 1522, true, dir.resolve("vm.sock"),
            VhostUserEndpoint.Mode.SERVER, log::add);
        pair0 = pairs.get(0);
        pair1 = pairs.get(1);
        control = pair0.control();
        control.negotiated(VirtioFeatures.bit(VirtioFeatures.F_VERSION_1)
            | VirtioFeatures.bit(VirtioFeatures.NET_F_MRG_RXBUF) | VirtioFeatures.bit(VirtioFeatures.NET_F_MQ));
        control.startQueue(rx0.queue(0), -1, -1, true);
        control.startQueue(tx0.queue(1), kick0.fd(), -1, true);
    }

    @AfterEach
    void stop() {
        pair0.close();
        pair1.close();
        kick0.close();
        kick1.close();
        arena.close();
    }

    private void runSecondPair() {
        control.startQueue(rx1.queue(2), -1, -1, true);
        control.startQueue(tx1.queue(3), kick1.fd(), -1, true);
    }

    private static boolean ready(PortDevice d) {
        try (Epoll e = new Epoll(1)) {
            e.add(d.fd(), Epoll.IN);
            return e.wait(new int[1], 0) == 1;
        }
    }

    private byte[] received() {
        byte[] b = new byte[frame.length];
        MemorySegment.copy(frame.segment, ValueLayout.JAVA_BYTE, frame.offset, b, 0, frame.length);
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
    void several_pairs_are_offered_as_multiqueue_and_the_port_is_up_with_the_first_pair() {
        assertThat(control.queuePairs()).isEqualTo(2);
        assertThat(VirtioFeatures.has(control.offeredFeatures(), VirtioFeatures.NET_F_MQ)).isTrue();
        assertThat(pair0.linkState()).as("a guest with one pair running is up").isEqualTo(LinkState.UP);
        assertThat(pair1.describe()).endsWith(", queue pair 1");
    }

    @Test
    void each_pair_reads_what_the_guest_sends_on_its_own_transmit_queue() {
        runSecondPair();
        byte[] a = arpReply(VM1, VM2);
        byte[] b = arpReply(VM1, 0x02_00_00_00_00_03L);
        tx0.transmit(a);
        tx1.transmit(b);

        assertThat(pair1.receive(frame, 0)).isEqualTo(PortDevice.FRAME);
        assertThat(received()).isEqualTo(b);
        assertThat(pair1.receive(frame, 0)).isEqualTo(PortDevice.NONE);
        assertThat(pair0.receive(frame, 0)).isEqualTo(PortDevice.FRAME);
        assertThat(received()).isEqualTo(a);
        assertThat(tx1.usedIdx()).isEqualTo(1);
    }

    @Test
    void frames_for_the_guest_on_a_loop_whose_pair_it_does_not_run_go_to_a_pair_it_runs() {
        rx0.receiveBuffer(2048);
        byte[] f = arpReply(VM2, VM1);

        pair1.send(toGuest(f), 0, new Offload(), 0); // loop 1 decided it; the guest runs pair 0 only
        pair1.flush();
        assertThat(rx0.usedIdx()).as("not written by loop 1").isZero();
        assertThat(ready(pair0)).as("loop 0 is woken to deliver it").isTrue();

        assertThat(pair0.receive(frame, 0)).isEqualTo(PortDevice.NONE); // loop 0's turn
        pair0.flush();
        assertThat(rx0.usedIdx()).isEqualTo(1);
        assertThat(rx0.bufferBytes(rx0.usedId(0), 12 + f.length)).endsWith(f);
        assertThat(pair1.txRefused() + pair1.txQueueFull() + pair0.txRefused() + pair0.txQueueFull()).isZero();
        assertThat(ready(pair0)).as("and sleeps again").isFalse();
    }

    @Test
    void once_the_guest_runs_the_second_pair_its_frames_go_into_that_pairs_own_queue() {
        pair1.send(toGuest(arpReply(VM2, VM1)), 0, new Offload(), 0); // handed to pair 0, not delivered yet
        pair1.flush();
        rx0.receiveBuffer(2048);

        runSecondPair(); // the change delivers what was handed over first
        assertThat(rx0.usedIdx()).as("what pair 1 had handed over").isEqualTo(1);

        rx1.receiveBuffer(2048);
        pair1.send(toGuest(arpReply(VM2, VM1)), 0, new Offload(), 0);
        pair1.flush();
        assertThat(rx1.usedIdx()).isEqualTo(1);
        assertThat(pair0.receive(frame, 0)).isEqualTo(PortDevice.NONE); // loop 0's turn: the look its start asked for
        assertThat(ready(pair0)).as("no wake-up left over from the hand-offs").isFalse();
    }

    @Test
    void with_no_pair_running_frames_for_the_guest_are_dropped_and_counted() {
        control.stopQueue(0);
        pair1.send(toGuest(arpReply(VM2, VM1)), 0, new Offload(), 0);
        assertThat(pair1.txRefused()).isEqualTo(1);
    }
}
