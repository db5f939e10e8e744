package io.vxswitch.linux.vhost;

import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.ffi.UnixCalls;
import io.vxswitch.linux.poll.EventFd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.vxswitch.linux.vhost.VhostUserMessage.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The back-end's side of the vhost-user protocol over a real socket pair, with the test as the front-end (as QEMU
 * would send it: a memfd for the guest's memory, eventfds for kicks and calls, each passed with SCM_RIGHTS), and a
 * device that records what the session asked of it.
 */
class VhostUserSessionTest {
    static final long GUEST = 0x1_0000_0000L;
    static final long USER = 0x7f00_0000_0000L;
    static final long MEMORY = 1 << 20;

    private final List<String> calls = new ArrayList<>();
    private VhostUserChannel backend;
    private VhostUserChannel frontend;
    private VhostUserSession session;
    private final VhostUserMessage in = new VhostUserMessage();
    private final VhostUserMessage out = new VhostUserMessage();
    private final VhostUserMessage reply = new VhostUserMessage();
    private int memfd;

    private final VhostDevice device = new VhostDevice() {
        @Override
        public long offeredFeatures() {
            return VirtioFeatures.offered(true);
        }

        @Override
        public int queuePairs() {
            return 1;
        }

        @Override
        public void negotiated(long features) {
            calls.add("negotiated " + Long.toHexString(features));
        }

        @Override
        public void startQueue(SplitVirtqueue q, int kickFd, int callFd, boolean enabled) {
            calls.add("start " + q.index() + " size " + q.size() + " base " + q.lastAvail() + " enabled " + enabled);
        }

        @Override
        public int stopQueue(int index) {
            calls.add("stop " + index);
            return 7;
        }

        @Override
        public void enableQueue(int index, boolean enabled) {
            calls.add("enable " + index + " " + enabled);
        }

        @Override
        public void callFd(int index, int fd) {
            calls.add("call " + index);
        }

        @Override
        public void memory(GuestMemory memory) {
            calls.add("memory " + memory);
        }

        @Override
        public void notice(String line) {
        }
    };

    @BeforeEach
    void connect() {
        int[] pair = new int[2];
        assertThat(UnixCalls.socketpair(pair)).isZero();
        backend = new VhostUserChannel(pair[0]);
        frontend = new VhostUserChannel(pair[1]);
        session = new VhostUserSession(device, Runnable::run);
        memfd = UnixCalls.memfdCreate("guest");
        assertThat(UnixCalls.ftruncate(memfd, MEMORY)).isZero();
    }

    @AfterEach
    void close() {
        session.close();
        backend.close();
        frontend.close();
        Libc.close(memfd);
        in.close();
        out.close();
        reply.close();
    }

    /** The front-end sends {@code out}; the back-end reads and handles it. */
    private void exchange() {
        deliver();
        assertThat(session.handle(in, backend)).isTrue();
    }

    /** The front-end sends {@code out}; the back-end reads it into {@code in}. */
    private void deliver() {
        assertThat(frontend.write(out)).isTrue();
        out.clearFds(); // the descriptors stay the test's; the back-end got copies of its own
        assertThat(backend.read(in)).isTrue();
    }

    private long replyU64() {
        assertThat(frontend.read(reply)).isTrue();
        assertThat(reply.flags() & FLAG_REPLY).isNotZero();
        return reply.u64();
    }

    private void send64(int request, long value, boolean ack) {
        out.header(request, VERSION | (ack ? FLAG_NEED_REPLY : 0), 8).u64(value);
        exchange();
    }

    private void negotiate() {
        out.header(GET_FEATURES, VERSION, 0);
        exchange();
        long offered = replyU64();
        assertThat(offered & VirtioFeatures.bit(VirtioFeatures.F_VERSION_1)).isNotZero();
        out.header(GET_PROTOCOL_FEATURES, VERSION, 0);
        exchange();
        assertThat(replyU64()).isEqualTo(VirtioFeatures.offeredProtocol());
        send64(SET_PROTOCOL_FEATURES, VirtioFeatures.bit(VirtioFeatures.PROTOCOL_F_REPLY_ACK), false);
        long features = VirtioFeatures.bit(VirtioFeatures.F_VERSION_1) | VirtioFeatures.bit(VirtioFeatures.NET_F_MRG_RXBUF)
            | VirtioFeatures.bit(VirtioFeatures.VHOST_USER_F_PROTOCOL_FEATURES);
        send64(SET_FEATURES, features, true);
        assertThat(replyU64()).as("REPLY_ACK: success").isZero();
    }

    private void memoryTable(long size) {
        out.header(SET_MEM_TABLE, VERSION | FLAG_NEED_REPLY, 8 + REGION_SIZE)
            .regions(new GuestMemory.Region(GUEST, size, USER, 0));
        out.fds(memfd);
        deliver();
        session.handle(in, backend);
    }

    @Test
    void a_front_end_sets_up_a_ring_which_starts_disabled_runs_when_enabled_and_stops_with_its_base() {
        negotiate();
        memoryTable(MEMORY);
        assertThat(replyU64()).isZero();
        out.header(SET_VRING_NUM, VERSION, 8).state(1, 256);
        exchange();
        out.header(SET_VRING_BASE, VERSION, 8).state(1, 3);
        exchange();
        out.header(SET_VRING_ADDR, VERSION, VRING_ADDR_SIZE).addr(1, 0, USER, USER + 0x3000, USER + 0x2000, 0);
        exchange();
        try (EventFd call = new EventFd(); EventFd kick = new EventFd()) {
            out.header(SET_VRING_CALL, VERSION, 8).u64(1);
            out.fds(call.fd());
            exchange();
            out.header(SET_VRING_KICK, VERSION, 8).u64(1);
            out.fds(kick.fd());
            exchange();
        }
        assertThat(calls).contains("start 1 size 256 base 3 enabled false");
        out.header(SET_VRING_ENABLE, VERSION, 8).state(1, 1);
        exchange();
        assertThat(calls).contains("enable 1 true");

        out.header(GET_VRING_BASE, VERSION, 8).state(1, 0);
        exchange();
        assertThat(frontend.read(reply)).isTrue();
        assertThat(reply.stateIndex()).isEqualTo(1);
        assertThat(reply.stateNum()).as("where the device stopped").isEqualTo(7);
        assertThat(calls).contains("stop 1");
    }

    @Test
    void features_that_were_not_offered_are_refused_with_a_failed_ack() {
        send64(SET_PROTOCOL_FEATURES, VirtioFeatures.bit(VirtioFeatures.PROTOCOL_F_REPLY_ACK), false);
        out.header(SET_FEATURES, VERSION | FLAG_NEED_REPLY, 8).u64(VirtioFeatures.bit(VirtioFeatures.RING_F_EVENT_IDX));
        deliver();
        assertThatThrownBy(() -> session.handle(in, backend)).isInstanceOf(VhostUserException.class)
            .hasMessageContaining("were not offered");
        assertThat(replyU64()).as("REPLY_ACK: failure").isEqualTo(1);
    }

    @Test
    void a_memory_region_larger_than_its_file_is_refused_before_anything_reads_it() {
        negotiate();
        assertThatThrownBy(() -> memoryTable(2 * MEMORY)).isInstanceOf(VhostUserException.class)
            .hasMessageContaining("ends at byte 2097152 of a file of 1048576 bytes");
        assertThat(calls).noneMatch(c -> c.startsWith("memory"));
    }

    @Test
    void rings_outside_the_memory_table_and_queues_this_device_does_not_have_are_refused() {
        negotiate();
        memoryTable(MEMORY);
        replyU64();
        out.header(SET_VRING_NUM, VERSION, 8).state(0, 256);
        exchange();
        out.header(SET_VRING_ADDR, VERSION, VRING_ADDR_SIZE).addr(0, 0, USER + MEMORY, USER, USER, 0);
        exchange();
        try (EventFd kick = new EventFd()) {
            out.header(SET_VRING_KICK, VERSION, 8).u64(0);
            out.fds(kick.fd());
            deliver();
            assertThatThrownBy(() -> session.handle(in, backend)).hasMessageContaining("not inside the guest's memory");
        }
        out.header(SET_VRING_NUM, VERSION, 8).state(4, 256);
        deliver();
        assertThatThrownBy(() -> session.handle(in, backend)).hasMessageContaining("SET_VRING_NUM for queue 4 of 2");
    }

    @Test
    void a_request_for_a_feature_never_offered_closes_the_connection() {
        out.header(SET_LOG_BASE, VERSION, 8).u64(0);
        deliver();
        assertThatThrownBy(() -> session.handle(in, backend)).hasMessageContaining("SET_LOG_BASE is not supported");
    }
}
