package io.vxswitch.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
 * Eight TCP streams spread over the queues, so both loops forward (their threads' CPU time shows it); a 20 MiB transfer
 * each way keeps its SHA-256, so a flow is not reordered or damaged by being read on one queue and answered on
 * another; a port added at run time gets its queues; and what one loop cannot do yet (capture) is refused with the
 * reason.
 */
@Timeout(180)
class MultiLoopIT extends LabIT {
    @Test
    void two_loops_share_the_traffic_of_taps_and_a_tunnel_and_keep_every_flow_intact() {
        Tools.assume("the kernel VXLAN peer and the digest transfer", "ethtool", "python3");
        KernelVxlanIT.Peer peer = KernelVxlanIT.kernelPeer(lab);
        Netns hostA = peer.hostA();
        Netns vm3 = peer.vm3();
        Daemon daemon = Daemon.start(lab, hostA, KernelVxlanIT.hostA(", loops: 2"));
        assertThat(daemon.output()).contains("2 forwarding loops, each switching and sending", ", 2 queues",
            "a socket per loop (SO_REUSEPORT)");
        assertThat(hostA.exec("ip", "-d", "link", "show", "dev", "vm1")).contains("multi_queue");
        Netns vm1 = lab.vmOnTap("vm1", hostA, "vm1", "10.0.0.1/24", KernelVxlanIT.VM1_MAC);
        Netns vm2 = lab.vmOnTap("vm2", hostA, "vm2", "10.0.0.2/24", KernelVxlanIT.VM2_MAC);

        Ping there = vm1.ping("10.0.0.3");
        assertThat(there.allAnsweredOnce()).as(there + lab.diagnostics()).isTrue();
        Ping local = vm2.ping("10.0.0.1");
        assertThat(local.allAnsweredOnce()).as(local + lab.diagnostics()).isTrue();
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

        DigestTransfer.assertIntact(lab, vm1, vm3, "10.0.0.3", 11);
        DigestTransfer.assertIntact(lab, vm3, vm1, "10.0.0.1", 12);

        // A port added at run time gets a queue per loop, added while loop 0 holds the other; removed the same way.
        assertThat(daemon.cli("ports", "add", "vm4", "--type", "tap", "--port-group", "vlan119", "--mac",
            "02:00:00:00:00:04")).startsWith("added port vm4");
        assertThat(hostA.exec("ip", "-d", "link", "show", "dev", "vm4")).contains("multi_queue");
        Netns vm4 = lab.vmOnTap("vm4", hostA, "vm4", "10.0.0.4/24", "02:00:00:00:00:04");
        Ping added = vm4.ping("10.0.0.3");
        assertThat(added.allAnsweredOnce()).as("the added port forwards, over the tunnel\n" + added + lab.diagnostics())
            .isTrue();
        assertThat(daemon.cli("ports", "del", "vm4")).isEqualTo("removed port vm4\n");

        assertThat(daemon.tryCli("capture", "vm1", "-w", "-", "-c", "1").err())
            .contains("capture needs switch.loops: 1");
        assertThat(daemon.cli("tunnels")).containsPattern("vx119\\s+192\\.0\\.2\\.1:4789\\s+119\\s+119\\s+192\\.0\\.2\\.2"
            + "\\s+[1-9]\\d*\\s+[1-9]\\d*");
        assertThat(daemon.stop()).doesNotContain("Exception");
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
