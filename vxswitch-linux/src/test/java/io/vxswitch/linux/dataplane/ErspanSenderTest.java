package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Mirror;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.mirror.ErspanCounter;
import io.vxswitch.forwarding.mirror.ErspanDestination;
import io.vxswitch.forwarding.mirror.MirrorDirection;
import io.vxswitch.forwarding.mirror.MirrorSession;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.Netns;
import io.vxswitch.linux.NetworkNamespaces;
import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.ffi.Sockets;
import io.vxswitch.packet.Erspan;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.Wire;
import io.vxswitch.packet.offload.Offload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An ERSPAN session's sender on real raw GRE sockets, in a namespace of the test's own: the switch decides, the
 * sender writes the headers and the copy into its batch, a {@code sendmmsg} sends it to 127.0.0.1, and a second raw
 * GRE socket there reads what the kernel made of it: the IPv4 header (protocol 47, DF), GRE with a sequence number per
 * packet, the ERSPAN header and the frame, byte for byte.
 */
@Tag("netns")
class ErspanSenderTest {
    private static final long VM1 = 0x020000000001L;
    private static final long VM2 = 0x020000000002L;
    private static final Offload PLAIN = new Offload();

    private Netns ns;
    private final Switch sw = new Switch(SwitchOptions.defaults("erspan").withMaxPorts(8));
    private final ForwardingDecision d = sw.newDecision();
    private final List<ErspanSender> senders = new ArrayList<>();
    private int receiver = -1;
    private long now = 1_000_000_000L;

    @BeforeEach
    void namespace() {
        Netns.assumeAvailable();
        ns = Netns.create();
        sw.addPortGroup(PortGroupPolicy.vdsDefault("plain", VlanPolicy.none()));
        sw.addVnicPort("vm1", "plain", VM1);
        sw.addVnicPort("vm2", "plain", VM2);
    }

    @AfterEach
    void close() {
        senders.forEach(ErspanSender::close);
        if (receiver >= 0) {
            Libc.close(receiver);
        }
        if (ns != null) {
            ns.close();
        }
    }

    private ErspanSender open(ErspanDestination dest) {
        ErspanSender s = NetworkNamespaces.callIn(ns.name(), () -> {
            receiver = Libc.socket(Sockets.AF_INET, Sockets.SOCK_RAW | Sockets.SOCK_NONBLOCK, Sockets.IPPROTO_GRE);
            return ErspanSender.open(dest, 1, 9100).getFirst();
        });
        assertThat(receiver).isPositive();
        senders.add(s);
        return s;
    }

    @Test
    void type_ii_copies_arrive_with_their_headers_sequence_and_frame_intact() {
        ErspanDestination dest = ErspanDestination.typeII(ErspanDestination.parseAddress("127.0.0.1", "r"), 42);
        ErspanSender s = open(dest);
        Mirror m = sw.addMirror(MirrorSession.erspan("e1", List.of("vm1"), List.of(), MirrorDirection.BOTH, dest));
        List<byte[]> frames = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            MemorySegment f = frame(VM2, VM1, 100 + n * 100);
            frames.add(f.toArray(ValueLayout.JAVA_BYTE));
            copy(s, m, "vm1", f);
        }
        assertThat(s.flush()).isTrue();
        assertThat(s.transmit()).isEqualTo(3);

        for (int n = 0; n < 3; n++) {
            MemorySegment p = receive();
            assertThat(Wire.u8(p, 9)).as("IP protocol").isEqualTo(47);
            assertThat(Wire.u16(p, 6) & 0x4000).as("DF: never fragmented").isNotZero();
            int gre = (Wire.u8(p, 0) & 0xF) * 4;
            assertThat(Erspan.greFlags(p, gre)).isEqualTo(Erspan.GRE_FLAG_SEQUENCE);
            assertThat(Erspan.greProtocol(p, gre)).isEqualTo(Erspan.GRE_PROTOCOL_TYPE_II);
            assertThat(Erspan.sequence(p, gre)).isEqualTo(n);
            assertThat(Erspan.version(p, gre)).isEqualTo(1);
            assertThat(Erspan.sessionId(p, gre)).isEqualTo(42);
            assertThat(Erspan.enOrBso(p, gre)).isEqualTo(Erspan.EN_UNTAGGED);
            assertThat(Erspan.truncated(p, gre)).isFalse();
            byte[] inner = p.asSlice(gre + 16).toArray(ValueLayout.JAVA_BYTE);
            assertThat(inner).isEqualTo(frames.get(n));
        }
        long[] c = s.counts();
        assertThat(c[ErspanCounter.PACKETS.ordinal()]).isEqualTo(3);
        assertThat(c[ErspanCounter.BYTES.ordinal()]).isEqualTo(3 * 16 + 100 + 200 + 300);
        assertThat(s.socket().localAddress().toString()).isEqualTo("127.0.0.1");
    }

    @Test
    void type_iii_copies_say_their_direction_and_a_copy_over_the_path_mtu_is_cut_with_the_t_bit() {
        ns.exec("ip", "link", "set", "lo", "mtu", "1280");
        ErspanDestination dest = new ErspanDestination(ErspanDestination.parseAddress("127.0.0.1", "r"), null, 7,
            ErspanDestination.TYPE_III, 46, 9, 0, 5);
        ErspanSender s = open(dest);
        assertThat(s.maxCopyLength()).as("1280 - 20 (IPv4) - 20 (GRE, ERSPAN III)").isEqualTo(1240);
        Mirror m = sw.addMirror(MirrorSession.erspan("e3", List.of("vm1"), List.of(), MirrorDirection.BOTH, dest));
        MemorySegment big = frame(VM1, VM2, 1400);
        long before = System.currentTimeMillis();
        copy(s, m, "vm2", big); // egress of vm1
        copy(s, m, "vm1", frame(VM2, VM1, 64)); // ingress
        s.flush();
        assertThat(s.transmit()).isEqualTo(2);

        MemorySegment p = receive();
        assertThat(Wire.u8(p, 1) >>> 2).as("DSCP").isEqualTo(46);
        assertThat(Wire.u8(p, 8)).as("TTL").isEqualTo(9);
        assertThat(Erspan.greProtocol(p, 20)).isEqualTo(Erspan.GRE_PROTOCOL_TYPE_III);
        assertThat(Erspan.version(p, 20)).isEqualTo(2);
        assertThat(Erspan.truncated(p, 20)).isTrue();
        assertThat(Erspan.egress(p, 20)).isTrue();
        assertThat(Erspan.hardwareId(p, 20)).isEqualTo(5);
        assertThat(Erspan.enOrBso(p, 20)).as("BSO of a 1400-byte frame").isEqualTo(Erspan.BSO_GOOD);
        long stamp = Erspan.timestamp(p, 20);
        assertThat(stamp).as("100 us units of the wall clock, 32 bits")
            .isBetween((before * 10 - 10) & 0xFFFF_FFFFL, ((System.currentTimeMillis() + 1000) * 10) & 0xFFFF_FFFFL);
        assertThat(p.byteSize()).isEqualTo(1280);
        assertThat(p.asSlice(40).toArray(ValueLayout.JAVA_BYTE))
            .isEqualTo(Arrays.copyOf(big.toArray(ValueLayout.JAVA_BYTE), 1240));
        MemorySegment q = receive();
        assertThat(Erspan.egress(q, 20)).isFalse();
        assertThat(Erspan.truncated(q, 20)).isFalse();
        assertThat(Erspan.sequence(q, 20)).isEqualTo(1);
        assertThat(s.counts()[ErspanCounter.MTU_TRUNCATED.ordinal()]).isEqualTo(1);
    }

    @Test
    void an_ipv6_collector_gets_erspan_over_ipv6() {
        ns.exec("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=0");
        ns.exec("sysctl", "-qw", "net.ipv6.conf.lo.disable_ipv6=0");
        ErspanDestination dest = ErspanDestination.typeII(ErspanDestination.parseAddress("::1", "r"), 9);
        ErspanSender s = NetworkNamespaces.callIn(ns.name(), () -> {
            receiver = Libc.socket(Sockets.AF_INET6, Sockets.SOCK_RAW | Sockets.SOCK_NONBLOCK, Sockets.IPPROTO_GRE);
            return ErspanSender.open(dest, 1, 9100).getFirst();
        });
        senders.add(s);
        assertThat(s.socket().isIpv6()).isTrue();
        assertThat(s.maxCopyLength()).as("lo's 65536 less 40 (IPv6) and 16").isEqualTo(65536 - 56);
        Mirror m = sw.addMirror(MirrorSession.erspan("e6", List.of("vm1"), List.of(), MirrorDirection.BOTH, dest));
        MemorySegment f = frame(VM2, VM1, 300);
        copy(s, m, "vm1", f);
        s.flush();
        assertThat(s.transmit()).isEqualTo(1);
        MemorySegment p = receive(); // an IPv6 raw socket reads from the GRE header on
        assertThat(Erspan.greProtocol(p, 0)).isEqualTo(Erspan.GRE_PROTOCOL_TYPE_II);
        assertThat(Erspan.sessionId(p, 0)).isEqualTo(9);
        assertThat(p.asSlice(16).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(f.toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void a_collector_without_a_route_is_an_error_when_the_session_is_opened() {
        ErspanDestination dest = ErspanDestination.typeII(ErspanDestination.parseAddress("198.51.100.2", "r"), 1);
        assertThatThrownBy(() -> NetworkNamespaces.callIn(ns.name(), () -> ErspanSender.open(dest, 2, 9100)))
            .isInstanceOf(LinuxException.class)
            .hasMessageContaining("no route to the collector 198.51.100.2")
            .hasMessageContaining("ENETUNREACH");
        ErspanDestination fromElsewhere = new ErspanDestination(ErspanDestination.parseAddress("127.0.0.1", "r"),
            ErspanDestination.parseAddress("192.0.2.77", "l"), 1, 2, 0, 0, 0, 0);
        assertThatThrownBy(() -> NetworkNamespaces.callIn(ns.name(), () -> ErspanSender.open(fromElsewhere, 1, 9100)))
            .hasMessageContaining("192.0.2.77 is not an address of this host");
    }

    @Test
    void a_route_lost_later_is_counted_and_said_once() {
        ns.exec("ip", "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        ns.exec("ip", "addr", "add", "192.0.2.1/24", "dev", "d0");
        ns.exec("ip", "link", "set", "d0", "up");
        ErspanDestination dest = ErspanDestination.typeII(ErspanDestination.parseAddress("192.0.2.9", "r"), 1);
        ErspanSender s = open(dest);
        Mirror m = sw.addMirror(MirrorSession.erspan("e1", List.of("vm1"), List.of(), MirrorDirection.BOTH, dest));
        ns.exec("ip", "link", "set", "d0", "down");
        for (int n = 0; n < 3; n++) {
            copy(s, m, "vm1", frame(VM2, VM1, 100));
        }
        s.flush();
        s.transmit();
        long[] c = s.counts();
        assertThat(c[ErspanCounter.PACKETS.ordinal()]).isZero();
        assertThat(c[ErspanCounter.UNREACHABLE.ordinal()] + c[ErspanCounter.REFUSED.ordinal()]).isEqualTo(3);
        String notice = s.takeNotice();
        assertThat(notice).startsWith("collector 192.0.2.9: ").contains("copies are counted as dropped");
        assertThat(s.takeNotice()).as("said once").isNull();
    }

    /** The data path of an ERSPAN copy, agent and sender both, allocates nothing per frame. */
    @Test
    void sending_copies_allocates_nothing_per_frame() {
        ErspanDestination dest = ErspanDestination.typeII(ErspanDestination.parseAddress("127.0.0.1", "r"), 1);
        ErspanSender s = open(dest);
        Libc.close(receiver);
        receiver = -1;
        Mirror m = sw.addMirror(MirrorSession.erspan("e1", List.of("vm1"), List.of(), MirrorDirection.BOTH, dest)
            .withTruncate(64));
        MemorySegment[] frames = {frame(VM2, VM1, 200), frame(VM1, VM2, 1000)};
        int[] in = {sw.port("vm1").id(), sw.port("vm2").id()};
        Runnable round = () -> {
            for (int n = 0; n < 64; n++) {
                for (int k = 0; k < frames.length; k++) {
                    sw.forward(in[k], frames[k], 0, (int) frames[k].byteSize(), now++, d);
                    for (int i = d.forwardedCount(); i < d.egressCount(); i++) {
                        d.prepareMirrorCopy(i);
                        s.send(d, i, PLAIN, now);
                    }
                }
                s.flush();
                s.transmit();
            }
        };
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        int quiet = 0;
        for (int b = 0; b < 200 && quiet < 3; b++) {
            long start = threads.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 20; i++) {
                round.run();
            }
            quiet = threads.getThreadAllocatedBytes(tid) == start ? quiet + 1 : 0;
        }
        long start = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 50; i++) {
            round.run();
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - start;
        long copies = 50L * 64 * 2;
        assertThat(s.counts()[ErspanCounter.PACKETS.ordinal()]).isGreaterThan(copies);
        assertThat(allocated).as("bytes allocated for " + copies + " ERSPAN copies").isLessThan(copies);
    }

    /** Forwards {@code f} in at {@code port} and hands its ERSPAN copy to {@code s}, as the agent does. */
    private void copy(ErspanSender s, Mirror m, String port, MemorySegment f) {
        now = Math.max(now + 1, System.nanoTime()); // the agent's clock: type III's timestamp comes from it
        sw.forward(sw.port(port).id(), f, 0, (int) f.byteSize(), now++, d);
        int i = d.egressCount() - 1;
        assertThat(d.isRemoteMirror(i)).isTrue();
        assertThat(d.remoteMirror(i)).isEqualTo(m.remoteSlot());
        d.prepareMirrorCopy(i);
        s.send(d, i, PLAIN, now);
    }

    /** The next packet on the receiving raw socket (its IPv4 header first), waiting up to 2 s. */
    private MemorySegment receive() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(70_000);
            for (int tries = 0; tries < 200; tries++) {
                long n = Libc.readNoErrno(receiver, buf, buf.byteSize());
                if (n > 0) {
                    return MemorySegment.ofArray(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("no GRE packet arrived");
    }

    /** An untagged IPv4 frame of {@code length} bytes whose payload counts up. */
    private static MemorySegment frame(long dst, long src, int length) {
        MemorySegment s = MemorySegment.ofArray(new byte[length]);
        Ethernet.dst(s, 0, dst);
        Ethernet.src(s, 0, src);
        Ethernet.etherType(s, 0, EtherType.IPV4);
        for (int i = Ethernet.HEADER_LENGTH; i < length; i++) {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7));
        }
        return s;
    }
}
