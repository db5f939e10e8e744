package io.vxswitch.linux.poll;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffIdleStrategyTest {

    @Test
    void it_spins_then_yields_then_parks_doubling_up_to_the_maximum() {
        List<Long> parks = new ArrayList<>();
        BackoffIdleStrategy idle = new BackoffIdleStrategy(3, 2, 1_000, 8_000, parks::add);
        for (int i = 0; i < 3; i++) {
            assertThat(idle.state()).isEqualTo("spinning");
            idle.idle(0);
        }
        assertThat(idle.state()).isEqualTo("yielding");
        idle.idle(0);
        idle.idle(0);
        assertThat(parks).isEmpty();
        for (int i = 0; i < 5; i++) {
            idle.idle(0);
        }
        assertThat(parks).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 8_000L);
    }

    @Test
    void work_resets_it_to_spinning() {
        List<Long> parks = new ArrayList<>();
        BackoffIdleStrategy idle = new BackoffIdleStrategy(0, 0, 1_000, 8_000, parks::add);
        idle.idle(0);
        idle.idle(0);
        idle.idle(5);
        idle.idle(0);
        assertThat(parks).containsExactly(1_000L, 2_000L, 1_000L);
    }

    @Test
    void nonsense_settings_are_refused() {
        assertThatThrownBy(() -> new BackoffIdleStrategy(1, 1, 10, 5, Parker.LOCK_SUPPORT))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_epoll_variant_parks_in_epoll() {
        try (Epoll epoll = new Epoll(1); EventFd e = new EventFd()) {
            epoll.add(e.fd(), Epoll.IN);
            e.signal();
            BackoffIdleStrategy idle = BackoffIdleStrategy.withEpoll(epoll);
            long start = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                idle.idle(0);
            }
            assertThat(System.nanoTime() - start).as("ready fd ends every park at once").isLessThan(2_000_000_000L);
        }
    }
}
