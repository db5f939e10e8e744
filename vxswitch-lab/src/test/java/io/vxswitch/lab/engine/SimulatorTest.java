package io.vxswitch.lab.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatorTest {
    @Test
    void events_run_in_time_order_whatever_order_they_were_scheduled_in() {
        Simulator sim = new Simulator();
        List<String> log = new ArrayList<>();
        sim.at(300, () -> log.add("c@" + sim.now()));
        sim.at(100, () -> log.add("a@" + sim.now()));
        sim.at(200, () -> log.add("b@" + sim.now()));

        sim.run();

        assertThat(log).containsExactly("a@100", "b@200", "c@300");
        assertThat(sim.now()).isEqualTo(300);
    }

    @Test
    void events_due_at_the_same_time_run_in_the_order_they_were_scheduled() {
        Simulator sim = new Simulator();
        List<Integer> log = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            sim.at(1_000, () -> log.add(n));
        }

        sim.run();

        assertThat(log).isSorted().hasSize(50);
    }

    @Test
    void an_event_may_schedule_more_work_including_at_the_current_time() {
        Simulator sim = new Simulator();
        List<String> log = new ArrayList<>();
        sim.at(10, () -> {
            log.add("first");
            sim.after(0, () -> log.add("same instant, later"));
            sim.after(5, () -> log.add("at " + sim.now()));
        });
        sim.at(10, () -> log.add("second"));

        sim.run();

        assertThat(log).containsExactly("first", "second", "same instant, later", "at 15");
    }

    @Test
    void run_stops_when_only_daemon_housekeeping_is_left() {
        Simulator sim = new Simulator();
        List<Long> sweeps = new ArrayList<>();
        sim.everyAsDaemon(1_000, () -> sweeps.add(sim.now()));
        sim.at(3_500, () -> { });

        sim.run();

        assertThat(sim.now()).isEqualTo(3_500);
        assertThat(sweeps).containsExactly(1_000L, 2_000L, 3_000L);
        assertThat(sim.pendingWork()).isZero();
    }

    @Test
    void a_cancelled_event_neither_runs_nor_keeps_the_run_going() {
        Simulator sim = new Simulator();
        List<String> log = new ArrayList<>();
        Scheduled late = sim.at(10_000, () -> log.add("late"));
        sim.at(10, () -> {
            log.add("cancel");
            late.cancel();
        });

        sim.run();

        assertThat(log).containsExactly("cancel");
        assertThat(sim.now()).isEqualTo(10);
        assertThat(late.pending()).isFalse();
    }

    @Test
    void run_until_stops_at_the_condition_or_the_time_limit() {
        Simulator sim = new Simulator();
        int[] count = {0};
        for (int i = 1; i <= 10; i++) {
            sim.at(i * 100L, () -> count[0]++);
        }

        assertThat(sim.runUntil(() -> count[0] == 3, Long.MAX_VALUE)).isTrue();
        assertThat(sim.now()).isEqualTo(300);
        assertThat(sim.runUntil(() -> false, 650)).isFalse();
        assertThat(count[0]).isEqualTo(6);
    }

    @Test
    void run_to_advances_the_clock_through_daemon_events() {
        Simulator sim = new Simulator();
        List<Long> sweeps = new ArrayList<>();
        sim.everyAsDaemon(1_000, () -> sweeps.add(sim.now()));

        sim.runTo(2_500);

        assertThat(sweeps).containsExactly(1_000L, 2_000L);
        assertThat(sim.now()).isEqualTo(2_500);
    }

    @Test
    void the_past_cannot_be_scheduled() {
        Simulator sim = new Simulator();
        sim.at(100, () -> { });
        sim.run();

        assertThatThrownBy(() -> sim.at(50, () -> { })).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("clock is already at 100");
        assertThatThrownBy(() -> sim.after(-1, () -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_runaway_simulation_stops_with_a_hint_at_a_loop() {
        Simulator sim = new Simulator();
        sim.eventLimit(1_000);
        Link link = new Link(sim, "a", "b", 1);
        link.a().attach(link.a()::send);
        link.b().attach(link.b()::send);
        link.a().send(new byte[1]);

        assertThatThrownBy(sim::run).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("ran 1000 events").hasMessageContaining("layer-2 loop");
    }

    @Test
    void two_runs_of_the_same_schedule_are_identical() {
        assertThat(chatter()).isEqualTo(chatter());
    }

    /** Ping-pong between two "nodes" with equal delays, so many events tie. */
    private static List<String> chatter() {
        Simulator sim = new Simulator();
        List<String> log = new ArrayList<>();
        Link link = new Link(sim, "left", "right", 7);
        link.a().attach(f -> {
            log.add(sim.now() + " left got " + f[0]);
            if (f[0] < 20) {
                link.a().send(new byte[] {(byte) (f[0] + 1)});
                link.a().send(new byte[] {(byte) (f[0] + 2)});
            }
        });
        link.b().attach(f -> {
            log.add(sim.now() + " right got " + f[0]);
            link.b().send(f);
        });
        link.a().send(new byte[] {0});
        sim.run();
        return log;
    }
}
