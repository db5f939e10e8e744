package io.vxswitch.linux.dataplane;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class FrameQueueTest {
    @Test
    void frames_reach_the_consumer_in_order_once_their_slot_is_published() {
        try (FrameQueue q = new FrameQueue(2, 256, 4)) {
            put(q, 60, 1);
            put(q, 100, 2);
            assertThat(q.take()).as("nothing before publish").isZero();
            assertThat(q.publish()).isTrue();
            assertThat(q.take()).isEqualTo(2);
            assertThat(q.frameLength(0)).isEqualTo(60);
            assertThat(q.frameLength(1)).isEqualTo(100);
            assertThat(q.buffer().get(ValueLayout.JAVA_INT_UNALIGNED, q.frameOffset(1))).isEqualTo(2);
            q.release();
            assertThat(q.take()).isZero();
            assertThat(q.publish()).as("an empty slot is not published").isFalse();
        }
    }

    @Test
    void a_full_slot_is_published_on_its_own_and_a_full_ring_refuses_the_frame() {
        try (FrameQueue q = new FrameQueue(2, 256, 2)) {
            put(q, 60, 1);
            put(q, 60, 2);
            put(q, 60, 3); // slot 0 holds two frames: it goes out, slot 1 takes this one
            // 64 + 200 bytes exceed slot 1, which goes out too: no slot left until the consumer releases one
            assertThat(q.reserve(200)).as("every slot waits for the sender").isEqualTo(-1);
            assertThat(q.take()).isEqualTo(2);
            q.release();
            assertThat(q.take()).as("slot 1 was published when it could not take the frame").isEqualTo(1);
            q.release();
            assertThat(q.reserve(200)).as("a released slot is reused").isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void a_frame_larger_than_a_slot_is_refused() {
        try (FrameQueue q = new FrameQueue(2, 256, 4)) {
            assertThat(q.reserve(257)).isEqualTo(-1);
            assertThat(q.reserve(256)).isZero();
        }
    }

    @Test
    void ring_slots_must_be_a_power_of_two() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SlotRing(3))
            .hasMessageContaining("power of two");
    }

    /** One producer and one consumer thread, as the switch and sender loops: nothing lost, reordered or torn. */
    @Test
    @Timeout(60)
    void two_threads_pass_a_million_frames_in_order() throws InterruptedException {
        int frames = 1_000_000;
        try (FrameQueue q = new FrameQueue(4, 4096, 16)) {
            AtomicReference<String> failure = new AtomicReference<>();
            Thread consumer = Thread.ofPlatform().start(() -> {
                int expected = 0;
                while (expected < frames && failure.get() == null) {
                    int n = q.take();
                    for (int k = 0; k < n; k++) {
                        int seq = q.buffer().get(ValueLayout.JAVA_INT_UNALIGNED, q.frameOffset(k));
                        int last = q.buffer().get(ValueLayout.JAVA_INT_UNALIGNED,
                            q.frameOffset(k) + q.frameLength(k) - 4);
                        if (seq != expected || last != ~seq || q.frameLength(k) != 64 + seq % 512) {
                            failure.set("frame " + expected + ": got " + seq + "/" + last + ", length "
                                + q.frameLength(k));
                            return;
                        }
                        expected++;
                    }
                    if (n > 0) {
                        q.release();
                    } else {
                        Thread.onSpinWait();
                    }
                }
            });
            for (int seq = 0; seq < frames && failure.get() == null; seq++) {
                int length = 64 + seq % 512;
                long at;
                while ((at = q.reserve(length)) < 0) {
                    q.publish();
                    Thread.onSpinWait();
                }
                q.buffer().set(ValueLayout.JAVA_INT_UNALIGNED, at, seq);
                q.buffer().set(ValueLayout.JAVA_INT_UNALIGNED, at + length - 4, ~seq);
                q.commit(length);
                if (seq % 7 == 0) {
                    q.publish();
                }
            }
            q.publish();
            consumer.join();
            assertThat(failure.get()).isNull();
        }
    }

    private static void put(FrameQueue q, int length, int marker) {
        long at = q.reserve(length);
        assertThat(at).as("room for a %d-byte frame", length).isGreaterThanOrEqualTo(0);
        q.buffer().set(ValueLayout.JAVA_INT_UNALIGNED, at, marker);
        q.commit(length);
    }
}
