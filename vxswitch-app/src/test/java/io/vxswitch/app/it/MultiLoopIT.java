package io.vxswitch.app.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code switch.loops: 2}: two forwarding loops, each reading its own queue of every tap and its own socket on the
 * VXLAN port, in front of the kernel's VXLAN:
 * <pre>
 *   vm1 10.0.0.1 --tap, 2 queues--+                                       +-- veth -- vm3 10.0.0.3
 *   vm2 10.0.0.2 --tap, 2 queues--+ vxswitch (hostA, loops: 2)    hostB: br0 + vxlan119 (id 119)
 *                                   VTEP 192.0.2.1 ul0 &lt;== veth ==&gt; ul0 192.0.2.2
 * </pre>
 * Every test starts from that picture ({@link #build}) and checks one thing; after each, the switch stops cleanly.
 */
@Timeout(180)
class MultiLoopIT extends LabIT {
    private Netns hostA;
    private Netns vm1;
    private Netns vm2;
    private Netns vm3;
    private Daemon daemon;

    @BeforeEach
    void build() {
        Tools.assume("the kernel VXLAN peer", "ethtool");
        KernelVxlanIT.Peer peer = KernelVxlanIT.kernelPeer(lab);
        hostA = peer.hostA();
        vm3 = peer.vm3();
        daemon = Daemon.start(lab, hostA, KernelVxlanIT.hostA(", loops: 2"));
        vm1 = lab.vmOnTap("vm1", hostA, "vm1", "10.0.0.1/24", KernelVxlanIT.VM1_MAC);
        vm2 = lab.vmOnTap("vm2", hostA, "vm2", "10.0.0.2/24", KernelVxlanIT.VM2_MAC);
    }

    /** Whatever the test did, the loops end on SIGTERM and nothing they printed was an exception. */
    @AfterEach
    void stopsCleanly() {
        if (daemon != null) {
            assertThat(daemon.stop()).doesNotContain("Exception");
        }
    }

    @Test
    void each_tap_gets_a_queue_per_loop_and_each_loop_a_socket_on_the_vxlan_port() {
        assertThat(daemon.output()).contains("2 forwarding loops, each switching and sending", ", 2 queues",
            "a socket per loop (SO_REUSEPORT)");
        assertThat(vm1.exec("ip", "-d", "link", "show", "dev", "vm1")).as("the tap, moved into vm1")
            .contains("multi_queue");
    }

    @Test
    void vms_reach_each_other_on_the_host_and_across_the_tunnel() {
        Ping there = vm1.ping("10.0.0.3");
        assertThat(there.allAnsweredOnce()).as(there + lab.diagnostics()).isTrue();
        Ping local = vm2.ping("10.0.0.1");
        assertThat(local.allAnsweredOnce()).as(local + lab.diagnostics()).isTrue();
        assertThat(daemon.cli("tunnels")).as("encapsulated and decapsulated, added up over the loops")
            .containsPattern("vx119\\s+192\\.0\\.2\\.1:4789\\s+119\\s+119\\s+192\\.0\\.2\\.2"
                + "\\s+[1-9]\\d*\\s+[1-9]\\d*");
    }

    @Test
    void eight_tcp_streams_keep_both_loops_busy() {
        Map<String, Long> before = loopTicks(daemon.pid());
        Iperf.Result tcp = Iperf.tcp(lab, vm3, "10.0.0.3", vm1, 3, 8);
        Map<String, Long> after = loopTicks(daemon.pid());
        System.out.printf("[MultiLoopIT] iperf3 TCP vm1 -> vm3, 8 streams, 2 loops, 3 s: %.1f Mbit/s; loop CPU ticks %s"
            + " -> %s%n", tcp.mbps(), before, after);
        assertThat(tcp.mbps()).as("iperf3 -P 8 vm1 -> vm3\n" + tcp.output() + lab.diagnostics()).isGreaterThan(0);
        assertThat(after).as("the loops' threads").containsKeys("vxswitch-switch", "vxswitch-loop-1");
        for (String loop : after.keySet()) {
            // 20 ticks: 0.2 s of CPU in 3 s of traffic; an idle loop waking every 100 ms stays near 0
            assertThat(after.get(loop) - before.getOrDefault(loop, 0L)).as("CPU ticks of " + loop + " under 8 streams")
                .isGreaterThanOrEqualTo(20);
        }
    }

    /** A flow read on one loop's queue and answered on the other's is neither reordered nor damaged. */
    @Test
    void twenty_mib_each_way_arrive_with_their_sha256() {
        Tools.assume("the digest transfer", "python3");
        DigestTransfer.assertIntact(lab, vm1, vm3, "10.0.0.3", 11);
        DigestTransfer.assertIntact(lab, vm3, vm1, "10.0.0.1", 12);
    }

    /** Added while loop 0 holds the other loop, and removed the same way. */
    @Test
    void a_port_added_at_run_time_gets_a_queue_per_loop_and_forwards() {
        assertThat(daemon.cli("ports", "add", "vm4", "--type", "tap", "--port-group", "vlan119", "--mac",
            "02:00:00:00:00:04")).startsWith("added port vm4");
        assertThat(hostA.exec("ip", "-d", "link", "show", "dev", "vm4")).contains("multi_queue");
        Netns vm4 = lab.vmOnTap("vm4", hostA, "vm4", "10.0.0.4/24", "02:00:00:00:00:04");
        Ping added = vm4.ping("10.0.0.3");
        assertThat(added.allAnsweredOnce()).as("the added port forwards, over the tunnel\n" + added + lab.diagnostics())
            .isTrue();
        assertThat(daemon.cli("ports", "del", "vm4")).startsWith("removed port vm4");
    }

    /**
     * Each loop copies the frames it reads and sends into a ring of its own; the capture merges them by time. Pings
     * run while the capture starts (the CLI says "capturing" before the switch has attached it), so the capture
     * begins somewhere in the run: each direction must be consecutive, none missing, and no reply before its request.
     * (Two requests may come before their replies: frames that queued while the switch attached the capture leave in
     * one turn.)
     */
    @Test
    void a_capture_with_two_loops_has_both_directions_of_a_port_in_order() {
        assertThat(vm1.ping("10.0.0.2").allAnsweredOnce()).isTrue(); // ARP settled: the capture sees only ICMP
        Background pings = lab.spawn("ping", vm1, "ping", "-c", "100", "-i", "0.05", "10.0.0.2");
        Path pcap = lab.dir().resolve("vm1.pcap");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Background capture = lab.spawn("vxswitch capture", hostA, java, "-jar", Daemon.jar().toString(), "capture",
            "vm1", "-w", pcap.toString(), "-c", "9", "--token-file=" + daemon.tokenFile());
        assertThat(capture.awaitExit(Duration.ofSeconds(20))).as(capture.output()).isZero();
        pings.awaitExit(Duration.ofSeconds(20));
        String decoded = Cmd.run(List.of("tcpdump", "-n", "-r", pcap.toString())).check().out();
        List<String> icmp = decoded.lines().map(l -> l.replaceAll(".*ICMP echo (request|reply), id \\d+, seq (\\d+).*",
            "$1 $2")).toList();
        List<Integer> requests = seqs(icmp, "request");
        List<Integer> replies = seqs(icmp, "reply");
        assertThat(requests.size() + replies.size()).as(decoded).isEqualTo(9);
        for (List<Integer> direction : List.of(requests, replies)) {
            for (int k = 1; k < direction.size(); k++) {
                assertThat(direction.get(k)).as("none missing, none out of order\n" + decoded)
                    .isEqualTo(direction.get(k - 1) + 1);
            }
        }
        for (int seq : replies) {
            int request = icmp.indexOf("request " + seq);
            assertThat(request < 0 || request < icmp.indexOf("reply " + seq)).as("request %d before its reply\n%s",
                seq, decoded).isTrue();
        }
    }

    private static List<Integer> seqs(List<String> icmp, String kind) {
        return icmp.stream().filter(l -> l.startsWith(kind + " ")).map(l -> Integer.parseInt(l.split(" ")[1])).toList();
    }

    /** User + system CPU ticks of each forwarding loop thread of process {@code pid}, by thread name. */
    private static Map<String, Long> loopTicks(long pid) {
        Map<String, Long> ticks = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                String name = Files.readString(task.resolve("comm")).trim();
                if (name.equals("vxswitch-switch") || name.startsWith("vxswitch-loop-")) {
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.put(name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ticks;
    }
}
