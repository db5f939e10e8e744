package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.lacp.LagDistribution;
import io.vxswitch.forwarding.lacp.LagHashPolicy;
import io.vxswitch.linux.Netns;
import io.vxswitch.linux.Shell;
import io.vxswitch.linux.packet.FrameBatch;
import io.vxswitch.linux.packet.PacketSocket;
import io.vxswitch.packet.Lacpdu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A LAG port over two veths (root ends, no address, are the members; their peers eth0 and eth1 in a test namespace,
 * where python writes raw frames): what the forwarding loop is handed, and what the LACP agent's Slow Protocols
 * socket gets instead.
 */
@Tag("netns")
class LagPortTest {
    private static final String DATA = "02000000000202000000000108004500001c000100004011f6c0c6336401c633640a"
        + "9c409c4000080000" + "00".repeat(18); // 60 bytes: UDP 40000 -> 40000, 198.51.100.1 -> .10
    /** A LACPDU as Open vSwitch sends it (LacpduTest has it field by field). */
    private static final String LACPDU = "0180c2000002e65d4ae013fe88090101" + "0114fffe86c5f6d86c440001ffff000277000000"
        + "02140000000000000000000000000000000000000310" + "00".repeat(14) + "0000" + "00".repeat(50);

    private Netns ns;
    private final List<String> members = new ArrayList<>();
    private LagPort lag;
    private LagDistribution distribution;

    @BeforeEach
    void setUp() {
        Netns.assumeAvailable();
        ns = Netns.create();
        for (int i = 0; i < 2; i++) {
            String member = Netns.linkName();
            ns.ownRootLink(member);
            Shell.check("ip", "link", "add", member, "type", "veth", "peer", "name", "eth" + i, "netns", ns.name());
            Shell.check("sysctl", "-qw", "net.ipv6.conf." + member + ".disable_ipv6=1");
            Shell.check("ip", "link", "set", "dev", member, "up");
            ns.exec("ip", "link", "set", "dev", "eth" + i, "up");
            members.add(member);
        }
        distribution = new LagDistribution(2, LagHashPolicy.L3L4);
        lag = new LagPort("lag0", List.of(new InterfacePort(PacketSocket.open(members.get(0)), 5),
            new InterfacePort(PacketSocket.open(members.get(1)), 5)), distribution, 5);
    }

    @AfterEach
    void tearDown() {
        if (lag != null) {
            lag.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void a_lag_is_down_until_a_member_distributes_and_takes_frames_only_from_collecting_members() throws Exception {
        assertThat(lag.linkStartsDown()).isTrue();
        assertThat(lag.linkState()).isEqualTo(io.vxswitch.linux.LinkState.DOWN);
        distribution.set(0b01);
        assertThat(lag.linkState()).isEqualTo(io.vxswitch.linux.LinkState.UP);
        send("eth0", DATA, 3);
        send("eth1", DATA, 2);
        assertThat(receiveUntil(() -> lag.memberTraffic(0)[0] == 3 && lag.memberTraffic(1)[4] == 2))
            .as("member 0's frames, not member 1's (not collecting)").isEqualTo(3);
        distribution.set(0b11);
        send("eth1", DATA, 2);
        assertThat(receiveUntil(() -> lag.memberTraffic(1)[0] == 2)).isEqualTo(2);
        assertThat(lag.memberTraffic(1)[4]).isEqualTo(2);
    }

    @Test
    void lacpdus_never_reach_the_switch_and_the_slow_protocols_socket_gets_only_them() throws Exception {
        distribution.set(0b11);
        try (PacketSocket slow = PacketSocket.openSlowProtocols(members.get(1));
             FrameBatch batch = slow.newBatch(8)) {
            send("eth1", LACPDU, 1);
            send("eth1", DATA, 1);
            assertThat(receiveUntil(() -> lag.memberTraffic(1)[0] == 1 && lag.memberTraffic(1)[5] == 1))
                .as("the data frame only; the LACPDU counted as a Slow Protocols frame").isEqualTo(1);
            int n = 0;
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (n == 0 && System.nanoTime() < deadline) {
                n = slow.receive(batch);
            }
            assertThat(n).isEqualTo(1);
            assertThat(batch.frameLength(0)).isEqualTo(124);
            assertThat(Lacpdu.check(batch.buffer(), batch.frameOffset(0) + 14, 110)).isEqualTo(Lacpdu.Fault.NONE);
            assertThat(slow.receive(batch)).as("nothing else: no IPv4").isZero();
        }
    }

    /** {@code count} copies of {@code hex} written on {@code dev} in the namespace with a raw packet socket. */
    private void send(String dev, String hex, int count) {
        ns.exec("python3", "-c", "import socket\n"
            + "s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)\n"
            + "s.bind(('" + dev + "', 0))\n"
            + "for i in range(" + count + "):\n"
            + "    s.send(bytes.fromhex('" + hex + "'))\n");
    }

    /** How many frames the forwarding agent is handed until the LAG's counts say {@code done} (5 s at most). */
    private int receiveUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        RxFrame f = new RxFrame();
        int frames = 0;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("the LAG's counts within 5 s").isLessThan(deadline);
            while (lag.receive(f, 0) == PortDevice.FRAME) {
                assertThat(Lacpdu.toSlowProtocols(f.segment, f.offset)).isFalse();
                frames++;
            }
            Thread.sleep(10);
        }
        return frames;
    }
}
