package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.DeviceCounter;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.linux.LinkState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static io.vxswitch.linux.dataplane.ForwardingAgentTest.VM1;
import static io.vxswitch.linux.dataplane.ForwardingAgentTest.VM2;
import static io.vxswitch.linux.dataplane.ForwardingAgentTest.arpReply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dataplane's agents on their threads, over ports without devices: the same agents in each placement, the
 * conductor's commands and housekeeping, and the life of a removed or dead device.
 */
class DataplaneTest {
    Switch sw;
    /** Loop 0's devices of vm1 and vm2, and loop 1's (with two loops). */
    FakePort vm1;
    FakePort vm2;
    FakePort vm1b;
    FakePort vm2b;
    final List<String> log = new CopyOnWriteArrayList<>();
    Dataplane dataplane;

    enum Placement { ONE_THREAD, SENDER_THREAD, TWO_LOOPS }

    @BeforeEach
    void build() {
        sw = new Switch(SwitchOptions.defaults("t").withLanes(2));
        sw.addPortGroup(new PortGroupPolicy("lan", VlanPolicy.none(), SecurityPolicy.VDS_DEFAULT,
            MacLearningPolicy.DISABLED));
        int p1 = sw.addVnicPort("vm1", "lan", VM1);
        int p2 = sw.addVnicPort("vm2", "lan", VM2);
        vm1 = new FakePort(p1);
        vm2 = new FakePort(p2);
        vm1b = new FakePort(p1);
        vm2b = new FakePort(p2);
    }

    @AfterEach
    void stop() {
        if (dataplane != null) {
            dataplane.stop();
            dataplane.close();
        }
    }

    private Dataplane start(Placement placement) {
        dataplane = switch (placement) {
            case ONE_THREAD -> new Dataplane(sw, Dataplane.Threads.ONE, log::add);
            case SENDER_THREAD -> new Dataplane(sw, Dataplane.Threads.TWO, log::add);
            case TWO_LOOPS -> new Dataplane(sw, 2, Dataplane.Threads.ONE, false, Dataplane.NO_CPU, log::add);
        };
        dataplane.add(vm1);
        dataplane.add(vm2);
        if (placement == Placement.TWO_LOOPS) {
            dataplane.add(vm1b, 1);
            dataplane.add(vm2b, 1);
        }
        dataplane.start();
        return dataplane;
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited 5 s for: %s", what).isNegative();
            Thread.onSpinWait();
        }
    }

    @ParameterizedTest
    @EnumSource(Placement.class)
    void a_frame_crosses_the_switch_in_every_placement_of_the_same_agents(Placement placement) {
        start(placement);
        byte[] frame = arpReply(VM1, VM2);
        vm1.receive(frame);
        await("vm2 gets the frame", () -> vm2.sent.size() == 1);
        assertThat(vm2.sent.getFirst()).isEqualTo(frame);
        assertThat(vm1.readBy).containsExactly("vxswitch-switch");
        assertThat(vm2.sentBy).containsExactly(placement == Placement.SENDER_THREAD ? "vxswitch-sender"
            : "vxswitch-switch");
        if (placement == Placement.TWO_LOOPS) {
            vm1b.receive(frame);
            await("loop 1's vm2 queue gets the frame", () -> vm2b.sent.size() == 1);
            assertThat(vm1b.readBy).containsExactly("vxswitch-loop-1");
            assertThat(vm2b.sentBy).as("each loop sends its own").containsExactly("vxswitch-loop-1");
            assertThat(vm2.sent).as("a loop sends on its own devices").hasSize(1);
        }
        assertThat(dataplane.devices()).hasSize(placement == Placement.TWO_LOOPS ? 4 : 2);
    }

    @Test
    void a_command_runs_on_the_first_loop_while_the_other_loops_are_held() throws Exception {
        start(Placement.TWO_LOOPS);
        List<String> ranOn = new CopyOnWriteArrayList<>();
        dataplane.submit(s -> {
            ranOn.add(Thread.currentThread().getName());
            vm1b.receive(arpReply(VM1, VM2));
            sleep(200);
            ranOn.add("loop 1 forwarded " + vm2b.sent.size() + " while held");
        });
        await("the command ran", () -> ranOn.size() == 2);
        assertThat(ranOn).containsExactly("vxswitch-switch", "loop 1 forwarded 0 while held");
        await("loop 1 forwards once released", () -> vm2b.sent.size() == 1);
    }

    @Test
    void a_device_that_fails_for_good_takes_its_port_down_and_says_so_once() {
        start(Placement.SENDER_THREAD);
        vm1.kill();
        await("the log line", () -> !log.isEmpty());
        assertThat(log).containsExactly("port vm1: fake 0 is gone (deleted, or moved to another namespace); port down."
            + " Restart vxswitch to attach the port again");
        assertThat(sw.port("vm1").up()).isFalse();
    }

    @Test
    void a_link_that_goes_down_and_up_is_followed_on_housekeeping_ticks() {
        start(Placement.SENDER_THREAD);
        vm2.link = LinkState.DOWN;
        await("down", () -> !sw.port("vm2").up());
        vm2.link = LinkState.UP;
        await("up again, and said", () -> sw.port("vm2").up() && log.size() == 2);
        assertThat(log).containsExactly(
            "port vm2: link down on fake 1; the port forwards again when the link comes back up",
            "port vm2: link up on fake 1");
    }

    @Test
    void a_link_that_starts_down_keeps_its_port_down_and_says_link_up_however_soon_it_comes_up() {
        vm2.startsDown = true; // a vhost-user port: down until its guest runs
        vm2.link = LinkState.UP; // and the guest was quick: up before the first housekeeping tick
        start(Placement.SENDER_THREAD);
        await("up, and said", () -> sw.port("vm2").up() && !log.isEmpty());
        assertThat(log).containsExactly("port vm2: link up on fake 1");
    }

    @Test
    void a_port_whose_link_starts_down_is_down_in_the_switch_until_the_link_comes_up() {
        vm2.startsDown = true;
        vm2.link = LinkState.DOWN;
        start(Placement.SENDER_THREAD);
        assertThat(sw.port("vm2").up()).isFalse();
        vm2.link = LinkState.UP;
        await("up, and said", () -> sw.port("vm2").up() && !log.isEmpty());
        assertThat(log).as("no link down: it never was up").containsExactly("port vm2: link up on fake 1");
    }

    @Test
    void a_device_notice_is_logged_once_with_its_port() {
        start(Placement.ONE_THREAD);
        vm2.notice = "fell back to one datagram per segment";
        await("the notice", () -> !log.isEmpty());
        assertThat(log).containsExactly("port vm2: fell back to one datagram per segment");
    }

    @Test
    void a_removed_device_is_closed_once_the_sender_has_let_go_of_it() {
        start(Placement.SENDER_THREAD);
        dataplane.submit(s -> dataplane.remove(vm2));
        await("closed", () -> vm2.closed);
        assertThat(dataplane.devices()).containsExactly(vm1);
        vm1.receive(arpReply(VM1, VM2));
        await("read", () -> vm1.readBy.size() == 1);
        assertThat(vm2.sent).isEmpty();
    }

    @Test
    void a_devices_counts_are_its_ports_in_the_switchs_counters_while_the_dataplane_has_it() {
        start(Placement.TWO_LOOPS);
        vm2.queueFull = 3;
        vm2b.queueFull = 4;
        assertThat(sw.counters().read().of(CounterScope.PORT, "vm2").get(DeviceCounter.TX_QUEUE_FULL))
            .as("one device per loop, added up").isEqualTo(7);
        dataplane.submit(s -> dataplane.remove(vm2b));
        await("removed", () -> dataplane.devices().size() == 3);
        assertThat(sw.counters().read().of(CounterScope.PORT, "vm2").get(DeviceCounter.TX_QUEUE_FULL)).isEqualTo(3);
    }

    @Test
    void removing_a_device_the_dataplane_does_not_have_says_which() {
        start(Placement.ONE_THREAD);
        assertThatThrownBy(() -> dataplane.remove(vm1b)).hasMessage("not a device of this dataplane: fake 0");
    }

    @Test
    void a_capture_takes_a_port_frames_from_every_loop_oldest_first() {
        start(Placement.TWO_LOOPS);
        PortCapture capture = new PortCapture(vm2.switchPort(), 128, 2);
        dataplane.submit(s -> dataplane.attachCapture(capture));
        vm1.receive(arpReply(VM1, VM2));
        await("loop 0 sent it", () -> vm2.sent.size() == 1);
        vm1b.receive(arpReply(VM1, VM2));
        await("loop 1 sent it", () -> vm2b.sent.size() == 1);
        byte[] into = new byte[128];
        PortCapture.Frame first = capture.next(into);
        PortCapture.Frame second = capture.next(into);
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(second.wallNanos()).as("merged by time").isGreaterThanOrEqualTo(first.wallNanos());
        assertThat(capture.next(into)).isNull();
        dataplane.submit(s -> dataplane.detachCapture(capture));
        await("detached", capture::stopped);
        capture.close();
    }

    @Test
    void a_capture_must_have_a_ring_for_every_loop() {
        start(Placement.TWO_LOOPS);
        try (PortCapture c = new PortCapture(0, 128)) {
            assertThatThrownBy(() -> dataplane.attachCapture(c))
                .hasMessage("a capture for 1 loop(s) cannot take the frames of 2 loops");
        }
    }

    @Test
    void stop_ends_every_thread_and_runs_what_was_submitted() throws Exception {
        start(Placement.SENDER_THREAD);
        List<String> ran = new CopyOnWriteArrayList<>();
        dataplane.submit(s -> ran.add("command"));
        dataplane.stop();
        dataplane.awaitStop();
        assertThat(ran).containsExactly("command");
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
            .doesNotContain("vxswitch-switch", "vxswitch-sender");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
