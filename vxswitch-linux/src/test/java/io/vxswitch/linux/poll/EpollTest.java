package io.vxswitch.linux.poll;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EpollTest {

    @Test
    void a_signalled_eventfd_is_reported_ready_until_drained() {
        try (Epoll epoll = new Epoll(4); EventFd a = new EventFd(); EventFd b = new EventFd()) {
            epoll.add(a.fd(), Epoll.IN);
            epoll.add(b.fd(), Epoll.IN);
            int[] ready = new int[4];
            int[] events = new int[4];
            assertThat(epoll.wait(ready, 0)).isZero();

            b.signal();
            b.signal();
            assertThat(epoll.wait(ready, events, 1000)).isEqualTo(1);
            assertThat(ready[0]).isEqualTo(b.fd());
            assertThat(events[0] & Epoll.IN).isNotZero();
            assertThat(epoll.wait(ready, 0)).as("level-triggered").isEqualTo(1);

            assertThat(b.drain()).isEqualTo(2);
            assertThat(b.drain()).isZero();
            assertThat(epoll.wait(ready, 0)).isZero();

            epoll.remove(b.fd());
            b.signal();
            assertThat(epoll.wait(ready, 0)).isZero();
        }
    }

    @Test
    void await_nanos_returns_early_on_io() {
        try (Epoll epoll = new Epoll(2); EventFd e = new EventFd()) {
            epoll.add(e.fd(), Epoll.IN);
            e.signal();
            long start = System.nanoTime();
            epoll.awaitNanos(5_000_000_000L);
            assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
        }
    }

    @Test
    void the_array_given_bounds_what_is_reported() {
        try (Epoll epoll = new Epoll(8); EventFd a = new EventFd(); EventFd b = new EventFd()) {
            epoll.add(a.fd(), Epoll.IN);
            epoll.add(b.fd(), Epoll.IN);
            a.signal();
            b.signal();
            assertThat(epoll.wait(new int[1], 100)).isEqualTo(1);
            assertThat(epoll.wait(new int[8], 100)).isEqualTo(2);
        }
    }
}
