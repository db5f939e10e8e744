package io.vxswitch.linux.vhost;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A split virtqueue as a driver lays it out in a guest's memory (here a segment at a made-up guest address, written
 * the way virtio-net writes its rings): frames read and buffers filled, and every kind of garbage a broken or hostile
 * guest can write found and named, with nothing read or written outside its memory.
 */
class SplitVirtqueueTest {
    private final Arena arena = Arena.ofShared();
    private final DriverRing driver = new DriverRing(arena, 256 * 1024);
    private final MemorySegment out = arena.allocate(4096);

    @AfterEach
    void free() {
        arena.close();
    }

    private static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) {
            f[i] = (byte) (i * 7 + seed);
        }
        return f;
    }

    private byte[] outBytes(int from, int length) {
        byte[] b = new byte[length];
        MemorySegment.copy(out, ValueLayout.JAVA_BYTE, from, b, 0, length);
        return b;
    }

    @Test
    void a_frame_the_driver_queued_is_read_with_its_header_and_handed_back_once_published() {
        SplitVirtqueue q = driver.queue(1);
        byte[] f = frame(60, 1);
        int head = driver.transmit(f);

        assertThat(q.available()).isEqualTo(1);
        assertThat(q.takeHead()).isEqualTo(head);
        assertThat(q.readChain(head, out, 0, out.byteSize())).isEqualTo(72);
        assertThat(outBytes(12, 60)).isEqualTo(f);
        q.pushUsed(head, 0);
        assertThat(driver.usedIdx()).as("not shown before it is published").isZero();
        assertThat(q.publishUsed()).isTrue();
        assertThat(driver.usedIdx()).isEqualTo(1);
        assertThat(driver.usedId(0)).isEqualTo(head);
        assertThat(q.available()).isZero();
        assertThat(q.lastAvail()).isEqualTo(1);
    }

    @Test
    void a_chain_with_the_header_in_a_descriptor_of_its_own_reads_as_one_frame() {
        SplitVirtqueue q = driver.queue(1);
        byte[] f = frame(100, 2);
        MemorySegment.copy(f, 0, driver.memory, ValueLayout.JAVA_BYTE, DriverRing.BUFFERS + 4096, 100);
        driver.desc(3, DriverRing.GUEST + DriverRing.BUFFERS, 12, SplitVirtqueue.F_NEXT, 5);
        driver.desc(5, DriverRing.GUEST + DriverRing.BUFFERS + 4096, 40, SplitVirtqueue.F_NEXT, 6);
        driver.desc(6, DriverRing.GUEST + DriverRing.BUFFERS + 4096 + 40, 60, 0, 0);
        driver.offer(3);

        q.available();
        int head = q.takeHead();
        assertThat(q.readChain(head, out, 0, out.byteSize())).isEqualTo(112);
        assertThat(outBytes(12, 100)).isEqualTo(f);
    }

    @Test
    void a_buffer_across_two_regions_that_are_contiguous_in_guest_memory_is_read_whole() {
        MemorySegment low = arena.allocate(8192, 4096);
        MemorySegment high = arena.allocate(8192, 4096);
        GuestMemory m = GuestMemory.of(new long[] {0x1000_0000L, 0x1000_2000L}, low, high);
        byte[] f = frame(200, 3);
        MemorySegment.copy(f, 0, low, ValueLayout.JAVA_BYTE, 8192 - 50, 50);
        MemorySegment.copy(f, 50, high, ValueLayout.JAVA_BYTE, 0, 150);

        assertThat(m.copyFromGuest(0x1000_2000L - 50, 200, out, 0)).isTrue();
        assertThat(outBytes(0, 200)).isEqualTo(f);
        assertThat(m.copyFromGuest(0x1000_4000L - 50, 200, out, 0)).as("past the second region").isFalse();
    }

    @Test
    void a_frame_longer_than_the_buffer_is_measured_but_not_copied_past_it() {
        SplitVirtqueue q = driver.queue(1);
        int head = driver.transmit(frame(1000, 4));
        q.available();
        q.takeHead();
        assertThat(q.readChain(head, out, 0, 100)).isEqualTo(1012);
        assertThat(q.fault()).isNull();
    }

    @Test
    void receive_buffers_are_filled_in_order_and_a_small_chain_takes_what_fits() {
        SplitVirtqueue q = driver.queue(0);
        int b = driver.receiveBuffer(64);
        byte[] f = frame(100, 5);
        MemorySegment.copy(f, 0, out, ValueLayout.JAVA_BYTE, 0, 100);
        q.available();
        int head = q.takeHead();
        assertThat(q.writeChain(head, out, 0, 100)).isEqualTo(64);
        assertThat(driver.bufferBytes(b, 64)).isEqualTo(java.util.Arrays.copyOf(f, 64));
        q.pushUsed(head, 64);
        q.publishUsed();
        assertThat(driver.usedLength(0)).isEqualTo(64);
    }

    @Test
    void the_index_of_the_available_ring_running_more_than_a_ring_ahead_is_garbage() {
        SplitVirtqueue q = driver.queue(1);
        driver.availIdx(DriverRing.SIZE + 1);
        assertThat(q.available()).isEqualTo(SplitVirtqueue.FAULT);
        assertThat(q.fault()).isEqualTo(RingFault.AVAIL_INDEX);
        assertThat(q.describeFault()).isEqualTo("queue 1: the available ring's index is 9 entries ahead of the last"
            + " one taken, more than the ring's 8");
    }

    @Test
    void an_available_entry_naming_a_descriptor_past_the_table_is_garbage() {
        SplitVirtqueue q = driver.queue(1);
        driver.offer(DriverRing.SIZE);
        q.available();
        assertThat(q.takeHead()).isEqualTo(SplitVirtqueue.FAULT);
        assertThat(q.describeFault()).isEqualTo("queue 1: the available ring names descriptor 8 of a 8-entry table");
    }

    @Test
    void a_chain_pointing_past_the_table_is_garbage() {
        SplitVirtqueue q = driver.queue(1);
        driver.desc(0, driver.bufferAddress(0), 64, SplitVirtqueue.F_NEXT, 200);
        driver.offer(0);
        q.available();
        assertThat(q.readChain(q.takeHead(), out, 0, out.byteSize())).isEqualTo(SplitVirtqueue.FAULT);
        assertThat(q.fault()).isEqualTo(RingFault.NEXT_OUT_OF_RANGE);
    }

    @Test
    void a_chain_that_loops_is_garbage_and_the_walk_ends() {
        SplitVirtqueue q = driver.queue(1);
        driver.desc(0, driver.bufferAddress(0), 64, SplitVirtqueue.F_NEXT, 1);
        driver.desc(1, driver.bufferAddress(1), 64, SplitVirtqueue.F_NEXT, 0);
        driver.offer(0);
        q.available();
        assertThat(q.readChain(q.takeHead(), out, 0, out.byteSize())).isEqualTo(SplitVirtqueue.FAULT);
        assertThat(q.describeFault()).isEqualTo("queue 1: the chain from descriptor 0 is longer than the 8-entry"
            + " table: a loop");
    }

    @Test
    void a_receive_chain_that_loops_is_garbage_too() {
        SplitVirtqueue q = driver.queue(0);
        driver.desc(2, driver.bufferAddress(2), 1, SplitVirtqueue.F_WRITE | SplitVirtqueue.F_NEXT, 2);
        driver.offer(2);
        q.available();
        assertThat(q.writeChain(q.takeHead(), out, 0, 4096)).isEqualTo(SplitVirtqueue.FAULT);
        assertThat(q.fault()).isEqualTo(RingFault.CHAIN_LOOP);
    }

    @Test
    void a_buffer_outside_the_guests_memory_is_garbage_and_nothing_is_read() {
        SplitVirtqueue q = driver.queue(1);
        driver.desc(0, 0x1234_5678_0000L, 64, 0, 0);
        driver.offer(0);
        q.available();
        out.fill((byte) 0x5a);
        assertThat(q.readChain(q.takeHead(), out, 0, out.byteSize())).isEqualTo(SplitVirtqueue.FAULT);
        assertThat(q.describeFault()).isEqualTo("queue 1: descriptor 0 points outside the guest's memory (address"
            + " 0x123456780000, 64 bytes)");
        assertThat(out.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 0x5a);
    }

    @Test
    void a_length_running_past_the_end_of_the_guests_memory_is_garbage() {
        SplitVirtqueue q = driver.queue(1);
        long end = DriverRing.GUEST + driver.memory.byteSize();
        driver.desc(0, end - 100, 200, 0, 0);
        driver.offer(0);
        q.available();
        assertThat(q.readChain(q.takeHead(), out, 0, out.byteSize())).isEqualTo(SplitVirtqueue.FAULT);
        assertThat(q.fault()).isEqualTo(RingFault.OUTSIDE_MEMORY);
    }

    @Test
    void an_address_and_length_that_wrap_around_the_address_space_are_garbage() {
        SplitVirtqueue q = driver.queue(1);
        driver.desc(0, -16L, 64, 0, 0); // 0xffff_ffff_ffff_fff0 + 64 wraps to 0x30
        driver.offer(0);
        q.available();
        assertThat(q.readChain(q.takeHead(), out, 0, out.byteSize())).isEqualTo(SplitVirtqueue.FAULT);
        assertThat(q.fault()).isEqualTo(RingFault.OUTSIDE_MEMORY);
    }

    @Test
    void a_receive_buffer_past_the_guests_memory_is_garbage_and_nothing_is_written() {
        SplitVirtqueue q = driver.queue(0);
        long end = DriverRing.GUEST + driver.memory.byteSize();
        driver.desc(0, end - 10, 100, SplitVirtqueue.F_WRITE, 0);
        driver.offer(0);
        q.available();
        assertThat(q.writeChain(q.takeHead(), out, 0, 5)).as("5 bytes would fit, the buffer's last 90 do not")
            .isEqualTo(SplitVirtqueue.FAULT);
        assertThat(q.fault()).isEqualTo(RingFault.OUTSIDE_MEMORY);
    }

    @Test
    void a_buffer_going_the_wrong_way_is_garbage_on_either_queue() {
        SplitVirtqueue tx = driver.queue(1);
        driver.desc(0, driver.bufferAddress(0), 64, SplitVirtqueue.F_WRITE, 0);
        driver.offer(0);
        tx.available();
        assertThat(tx.readChain(tx.takeHead(), out, 0, 64)).isEqualTo(SplitVirtqueue.FAULT);
        assertThat(tx.fault()).isEqualTo(RingFault.WRITABLE_ON_TX);

        SplitVirtqueue rx = SplitVirtqueue.start(0, DriverRing.SIZE, driver.guest, DriverRing.GUEST + DriverRing.DESC,
            DriverRing.GUEST + DriverRing.AVAIL, DriverRing.GUEST + DriverRing.USED, 0);
        driver.desc(0, driver.bufferAddress(0), 64, 0, 0);
        rx.available();
        assertThat(rx.writeChain(rx.takeHead(), out, 0, 64)).isEqualTo(SplitVirtqueue.FAULT);
        assertThat(rx.fault()).isEqualTo(RingFault.READ_ONLY_ON_RX);
    }

    @Test
    void an_indirect_descriptor_which_was_not_negotiated_is_garbage() {
        SplitVirtqueue q = driver.queue(1);
        driver.desc(0, driver.bufferAddress(0), 64, SplitVirtqueue.F_INDIRECT, 0);
        driver.offer(0);
        q.available();
        assertThat(q.readChain(q.takeHead(), out, 0, 64)).isEqualTo(SplitVirtqueue.FAULT);
        assertThat(q.fault()).isEqualTo(RingFault.INDIRECT);
    }

    @Test
    void rings_outside_the_guests_memory_or_misaligned_are_refused_at_start() {
        long end = DriverRing.GUEST + driver.memory.byteSize();
        assertThatThrownBy(() -> SplitVirtqueue.start(1, 8, driver.guest, end - 64, DriverRing.GUEST + 0x1000,
            DriverRing.GUEST + 0x2000, 0)).isInstanceOf(VhostUserException.class).hasMessageContaining("not inside");
        assertThatThrownBy(() -> SplitVirtqueue.start(1, 8, driver.guest, DriverRing.GUEST + 8,
            DriverRing.GUEST + 0x1000, DriverRing.GUEST + 0x2000, 0)).isInstanceOf(VhostUserException.class);
        assertThatThrownBy(() -> SplitVirtqueue.start(1, 12, driver.guest, DriverRing.GUEST, DriverRing.GUEST + 0x1000,
            DriverRing.GUEST + 0x2000, 0)).hasMessageContaining("power-of-two");
    }

    @Test
    void the_device_asks_for_kicks_only_when_idle_and_signals_only_a_driver_that_wants_interrupts() {
        SplitVirtqueue q = driver.queue(1);
        q.kicks(false);
        assertThat(driver.usedFlags()).isEqualTo(SplitVirtqueue.USED_F_NO_NOTIFY);
        q.kicks(true);
        assertThat(driver.usedFlags()).isZero();

        int head = driver.transmit(frame(60, 6));
        q.available();
        q.takeHead();
        q.pushUsed(head, 0);
        assertThat(q.takeSignal()).as("nothing published yet").isFalse();
        q.publishUsed();
        driver.availFlags(SplitVirtqueue.AVAIL_F_NO_INTERRUPT);
        assertThat(q.takeSignal()).as("the driver polls").isFalse();
        head = driver.transmit(frame(60, 7));
        q.available();
        q.takeHead();
        q.pushUsed(head, 0);
        q.publishUsed();
        driver.availFlags(0);
        assertThat(q.takeSignal()).isTrue();
        assertThat(q.takeSignal()).as("once per publish").isFalse();
    }

    @Test
    void the_num_buffers_field_is_patched_even_when_the_header_spans_descriptors() {
        SplitVirtqueue q = driver.queue(0);
        driver.desc(0, driver.bufferAddress(0), 11, SplitVirtqueue.F_WRITE | SplitVirtqueue.F_NEXT, 1);
        driver.desc(1, driver.bufferAddress(1), 64, SplitVirtqueue.F_WRITE, 0);
        assertThat(q.patchU16(0, 10, 0x0302, out)).isTrue();
        assertThat(driver.bufferBytes(0, 11)[10]).isEqualTo((byte) 0x02);
        assertThat(driver.bufferBytes(1, 1)[0]).isEqualTo((byte) 0x03);
    }

    @Test
    void a_queue_moves_to_a_new_memory_table_that_still_holds_its_rings() {
        SplitVirtqueue q = driver.queue(1);
        GuestMemory bigger = GuestMemory.of(new long[] {DriverRing.GUEST}, driver.memory);
        assertThat(q.remap(bigger)).isTrue();
        GuestMemory elsewhere = GuestMemory.of(new long[] {0x9000_0000L}, driver.memory);
        assertThat(q.remap(elsewhere)).isFalse();
    }
}
