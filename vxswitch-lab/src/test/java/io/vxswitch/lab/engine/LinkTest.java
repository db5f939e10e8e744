package io.vxswitch.lab.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkTest {
    @Test
    void a_frame_arrives_at_the_peer_after_the_latency_in_order() {
        Simulator sim = new Simulator();
        Link link = new Link(sim, "vm1", "esxi:vm1", 50_000);
        List<String> got = new ArrayList<>();
        link.b().attach(f -> got.add(sim.now() + ":" + f[0]));

        link.a().send(new byte[] {1});
        link.a().send(new byte[] {2});
        sim.run();

        assertThat(got).containsExactly("50000:1", "50000:2");
        assertThat(link.a().sentFrames()).isEqualTo(2);
        assertThat(link.b().receivedFrames()).isEqualTo(2);
    }

    @Test
    void the_receiver_gets_its_own_copy() {
        Simulator sim = new Simulator();
        Link link = new Link(sim, "a", "b", 1);
        byte[][] got = new byte[1][];
        link.b().attach(f -> got[0] = f);
        byte[] frame = {1, 2, 3};

        link.a().send(frame);
        frame[0] = 9;
        sim.run();

        assertThat(got[0]).containsExactly(1, 2, 3);
    }

    @Test
    void listeners_see_each_frame_when_it_is_sent_with_the_sending_end() {
        Simulator sim = new Simulator();
        Link link = new Link(sim, "a", "b", 10);
        link.a().attach(f -> { });
        link.b().attach(f -> link.b().send(new byte[] {(byte) (f[0] + 1)}));
        List<String> seen = new ArrayList<>();
        link.addListener((time, from, frame) -> seen.add(time + " " + from.name() + " " + frame[0]));

        link.a().send(new byte[] {5});
        sim.run();

        assertThat(seen).containsExactly("0 a 5", "10 b 6");
    }

    @Test
    void a_frame_to_an_end_with_nothing_plugged_in_is_lost_and_counted() {
        Simulator sim = new Simulator();
        Link link = new Link(sim, "a", "b", 10);

        link.a().send(new byte[] {5});
        sim.run();

        assertThat(link.b().unattachedDrops()).isEqualTo(1);
        assertThat(link.a().peer()).isSameAs(link.b());
    }

    @Test
    void an_end_takes_one_receiver() {
        Link link = new Link(new Simulator(), "a", "b", 10);
        link.a().attach(f -> { });

        assertThatThrownBy(() -> link.a().attach(f -> { })).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("already attached");
    }
}
