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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * VMs on vhost-user ports, with DPDK's testpmd as the VM's virtio-net driver (a vhost-user front-end, as QEMU is):
 * <pre>
 *   [testpmd vm1 02:..:01] --vhost-user socket--+
 *   [testpmd vm2 02:..:02] --vhost-user socket--+-- vxswitch (namespace vhhost), one port group
 *   [namespace vhtap 198.18.0.2 02:..:0a] --tap--+
 * </pre>
 * A namespace behind a tap sends UDP datagrams to testpmd, which in {@code 5tswap} mode sends each back with MACs,
 * addresses and ports swapped; every payload must come back whole (both directions, through the guest's rings). Two
 * testpmds exchange frames through the switch; a testpmd that restarts, on either end of the socket, gets its traffic
 * back. Through a tunnel, the same echo from behind the kernel's VXLAN (as {@link KernelVxlanIT} builds it):
 * <pre>
 *   [testpmd vm1 "10.0.0.1"] --vhost-user-- vxswitch (hostA) VTEP 192.0.2.1 &lt;== veth ==&gt; 192.0.2.2 hostB: br0 +
 *                                                                      vxlan119 -- vm3 10.0.0.3
 * </pre>
 * Huge pages are reserved and returned by each test.
 */
@Timeout(180)
class VhostUserIT extends LabIT {
    private static final String VM1 = "02:00:00:00:00:01";
    private static final String VM2 = "02:00:00:00:00:02";
    private static final String TAP = "02:00:00:00:00:0a";

    private Hugepages huge;
    private final List<Testpmd> testpmds = new ArrayList<>();

    @BeforeEach
    void pages() {
        Tools.assume("a vhost-user front-end", "dpdk-testpmd", "python3");
        huge = Hugepages.reserve(lab.dir().resolve("huge"), 128);
    }

    /** testpmd first (it holds the huge pages), then the pages: before the lab stops what is left. */
    @AfterEach
    void returnPages() {
        for (Testpmd t : testpmds) {
            t.stop(false);
        }
        if (huge != null) {
            huge.close();
        }
    }

    private Testpmd testpmd(Netns ns, String name, Path socket, String mac, boolean server, String mode,
                            String... more) {
        Testpmd t = Testpmd.start(lab, ns, huge, name, socket, mac, server, mode, more);
        testpmds.add(t);
        return t;
    }

    /**
     * Waits up to 30 s for vxswitch's line matching {@code regex}, the guest's driver running both rings; a failure
     * shows testpmd's output too, where a guest that never starts its rings says why.
     */
    /**
     * Waits for {@code regex} in the daemon's log, then for the link to stay up for a second: a starting front-end
     * stops and restarts its rings a few times (DPDK's virtio-user did so three times in 300 ms on a loaded machine),
     * and a datagram sent in one of those windows is dropped by a port that is down, as it should be.
     */
    private void awaitLinkUp(Daemon daemon, String regex) {
        try {
            daemon.awaitLog(regex, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int seen = -1;
            long since = System.nanoTime();
            while (true) {
                String out = daemon.output();
                int changes = count(out, ": link ");
                long now = System.nanoTime();
                if (changes != seen) {
                    seen = changes;
                    since = now;
                } else if (out.lastIndexOf(": link up") >= out.lastIndexOf(": link down")
                    && now - since >= Duration.ofSeconds(1).toNanos()) {
                    return;
                }
                if (now > deadline) {
                    throw new AssertionError("the link did not stay up for a second within 20 s");
                }
                Thread.sleep(50);
            }
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + lab.diagnostics(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String config(String name, Path sock1, String mode1, Path sock2) {
        return """
            switch: {name: %s}
            portGroups:
              - {name: lan, security: {forgedTransmits: accept}, macLearning: {enabled: true}}
            ports:
              - {name: vm1, type: vhostuser, socket: "%s", mode: %s, portGroup: lan}
            %s  - {name: tap1, type: tap, portGroup: lan}
            """.formatted(name, sock1, mode1,
            sock2 == null ? "" : "  - {name: vm2, type: vhostuser, socket: \"" + sock2 + "\", portGroup: lan}\n");
    }

    /** The namespace behind tap {@code tap1}, which knows testpmd vm1's MAC for 198.18.0.1 (testpmd answers no ARP). */
    private Netns tapNamespace(Netns host) {
        Netns ns = lab.vmOnTap("vhtap", host, "tap1", "198.18.0.2/24", TAP);
        ns.exec("ip", "neigh", "replace", "198.18.0.1", "lladdr", VM1, "dev", "tap1");
        return ns;
    }

    /**
     * Sends {@code count} UDP datagrams of 18 to 1472 bytes (and a 4-byte index) from the tap's namespace to 198.18.0.1
     * and counts those that come back from there, to the port they left from, with the same bytes.
     */
    private int echoes(Netns ns, int count) {
        return echoes(ns, "198.18.0.2", "198.18.0.1", count, 1472);
    }

    /**
     * Sends {@code count} UDP datagrams from {@code from}:40000 to {@code to}:40001 inside {@code ns}, of 18 to
     * {@code maxRandom} random bytes each and a 4-byte index, one at a time, and counts those that come back from there
     * to the port they left from with the same bytes (testpmd in 5tswap mode is the only thing that answers).
     */
    private int echoes(Netns ns, String from, String to, int count, int maxRandom) {
        Path script = lab.dir().resolve("echo.py");
        try {
            Files.writeString(script, """
                import os, socket, sys
                src, dst, count, spread = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind((src, 40000))
                s.settimeout(1)
                ok = 0
                for i in range(count):
                    payload = os.urandom(18 + (i * 97) % spread) + i.to_bytes(4, "big")
                    s.sendto(payload, (dst, 40001))
                    try:
                        data, peer = s.recvfrom(4096)
                        ok += data == payload and peer == (dst, 40001)
                    except socket.timeout:
                        pass
                print("echoed", ok)
                """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String out = ns.run(Duration.ofSeconds(count + 20L), "python3", script.toString(), from, to,
            Integer.toString(count), Integer.toString(maxRandom - 17)).check().out();
        return Integer.parseInt(out.trim().replace("echoed ", ""));
    }

    @Test
    void datagrams_from_a_tap_namespace_cross_testpmds_rings_both_ways_with_their_payloads_intact() {
        Netns host = lab.netns("vhhost");
        Path sock = lab.dir().resolve("vm1.sock");
        Daemon daemon = Daemon.start(lab, host, config("it-vhost", sock, "server", null));
        assertThat(daemon.output()).containsPattern("port vm1 +vnic +vhostuser .* on vhost-user socket " + sock
            + " \\(server\\)");
        Netns ns = tapNamespace(host);
        testpmd(host, "vm1", sock, VM1, false, "5tswap");
        awaitLinkUp(daemon, "port vm1: link up");

        assertThat(echoes(ns, 300)).as("datagrams echoed by testpmd through vxswitch\n" + lab.diagnostics())
            .isEqualTo(300);
        assertThat(daemon.portStats("vm1").toString()).as("vm1's counters").doesNotContain("guest_ring_error");
    }

    /**
     * Sends {@code count} UDP datagrams from the tap's namespace to testpmd, from 16 source ports in turn (16 flows,
     * which the multi-queue tap spreads over its queues, so over the loops), and counts those echoed whole.
     */
    private int echoesOverFlows(Netns ns, int count) {
        Path script = lab.dir().resolve("echo-flows.py");
        try {
            Files.writeString(script, """
                import os, socket, sys
                count = int(sys.argv[1])
                socks = []
                for k in range(16):
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    s.bind(("198.18.0.2", 41000 + k))
                    s.settimeout(0.3)  # an echo takes milliseconds: a lost one fails the count, not the timeout
                    socks.append(s)
                ok = 0
                for i in range(count):
                    s = socks[i % 16]
                    payload = os.urandom(18 + (i * 97) % 1400) + i.to_bytes(4, "big")
                    s.sendto(payload, ("198.18.0.1", 40001))
                    try:
                        data, peer = s.recvfrom(4096)
                        ok += data == payload and peer == ("198.18.0.1", 40001)
                    except socket.timeout:
                        pass
                print("echoed", ok)
                """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String out = ns.run(Duration.ofSeconds(count + 20L), "python3", script.toString(), Integer.toString(count))
            .check().out();
        return Integer.parseInt(out.trim().replace("echoed ", ""));
    }

    private static String twoLoops(String config) {
        return config.replace("switch: {name: it-vhost-mq}", "switch: {name: it-vhost-mq, loops: 2}");
    }

    @Test
    void with_two_loops_a_guest_with_two_queue_pairs_gets_every_flow_back_through_either_pair() {
        Netns host = lab.netns("vhhost");
        Path sock = lab.dir().resolve("vm1.sock");
        Daemon daemon = Daemon.start(lab, host, twoLoops(config("it-vhost-mq", sock, "server", null)));
        assertThat(daemon.output()).contains("2 forwarding loops").containsPattern("port vm1 .*, 2 queue pairs");
        Netns ns = tapNamespace(host);
        Testpmd t = Testpmd.start(lab, host, huge, "vm1", sock, VM1, false, 2, "5tswap");
        testpmds.add(t);
        awaitLinkUp(daemon, "port vm1: link up");
        assertThat(daemon.output()).as("testpmd accepted several pairs").contains("multiqueue");

        assertThat(echoesOverFlows(ns, 320)).as("datagrams of 16 flows echoed\n" + lab.diagnostics()).isEqualTo(320);
        assertThat(daemon.portStats("vm1").toString()).as("vm1's counters").doesNotContain("guest_ring_error");
    }

    @Test
    void with_two_loops_a_guest_that_runs_one_queue_pair_gets_the_frames_of_both_loops() {
        Netns host = lab.netns("vhhost");
        Path sock = lab.dir().resolve("vm1.sock");
        Daemon daemon = Daemon.start(lab, host, twoLoops(config("it-vhost-mq", sock, "server", null)));
        Netns ns = tapNamespace(host);
        testpmd(host, "vm1", sock, VM1, false, "5tswap"); // one pair: loop 1's frames for it go through pair 0
        awaitLinkUp(daemon, "port vm1: link up");

        assertThat(echoesOverFlows(ns, 320)).as("datagrams of 16 flows echoed\n" + lab.diagnostics()).isEqualTo(320);
    }

    @Test
    void datagrams_from_behind_a_kernel_vxlan_peer_cross_the_tunnel_and_testpmds_rings_both_ways() {
        Tools.assume("the kernel VXLAN peer", "ethtool");
        KernelVxlanIT.Peer peer = KernelVxlanIT.kernelPeer(lab); // offloads off on the veth underlay (docs/config.md)
        Path sock = lab.dir().resolve("vm1.sock");
        Daemon daemon = Daemon.start(lab, peer.hostA(), """
            switch: {name: it-vhost-vxlan}
            portGroups:
              - {name: vlan119, vlan: 119}
            ports:
              - {name: vm1, type: vhostuser, socket: "%s", portGroup: vlan119, mac: "%s"}
            tunnels:
              - {name: vx119, vni: 119, vlan: 119, local: 192.0.2.1, remotes: [192.0.2.2], port: 4789}
            """.formatted(sock, VM1));
        testpmd(peer.hostA(), "vm1", sock, VM1, false, "5tswap");
        awaitLinkUp(daemon, "port vm1: link up");
        Netns vm3 = peer.vm3();
        vm3.exec("ip", "neigh", "replace", "10.0.0.1", "lladdr", VM1, "dev", "eth0"); // testpmd answers no ARP

        // vm3's MTU is 1450 (a 1500-byte underlay less VXLAN's 50): 1404-byte payloads and their headers fit whole
        assertThat(echoes(vm3, "10.0.0.3", "10.0.0.1", 300, 1400))
            .as("datagrams from vm3 echoed by testpmd across the tunnel\n" + lab.diagnostics()).isEqualTo(300);
        assertThat(peer.hostB().exec("bridge", "fdb", "show", "dev", "vxlan119"))
            .as("the kernel VTEP learned testpmd's MAC behind vxswitch's VTEP").contains(VM1 + " dst 192.0.2.1");
        assertThat(daemon.cli("fdb", "show", "--port", "vx119")).as("vxswitch learned vm3 behind the kernel's VTEP")
            .containsPattern("vx119\\s+119\\s+" + KernelVxlanIT.VM3_MAC + "\\s+.*192\\.0\\.2\\.2");
        assertThat(daemon.portStats("vm1").toString()).as("vm1's counters").doesNotContain("guest_ring_error");
    }

    @Test
    void two_testpmds_exchange_frames_through_the_switch() {
        Netns host = lab.netns("vhhost");
        Path sock1 = lab.dir().resolve("vm1.sock");
        Path sock2 = lab.dir().resolve("vm2.sock");
        Daemon daemon = Daemon.start(lab, host, config("it-vhost2", sock1, "server", sock2));
        Testpmd receiver = testpmd(host, "vm2", sock2, VM2, false, "rxonly");
        awaitLinkUp(daemon, "port vm2: link up");
        // 64-byte UDP frames to vm2's MAC: flooded until vm2 is known (testpmd rxonly sends nothing), delivered.
        Testpmd sender = testpmd(host, "vm1", sock1, VM1, false, "txonly", "--eth-peer=0," + VM2,
            "--txpkts=64");
        receiver.awaitReceived(10_000, Duration.ofSeconds(60));
        long[] got = receiver.received();
        assertThat(got[1]).as("every frame vm2 received is one of vm1's 64-byte frames").isEqualTo(64 * got[0]);
        sender.awaitSent(1, Duration.ofSeconds(10)); // its statistics come once a second, not with the receiver's
        assertThat(daemon.isAlive()).isTrue();
    }

    @Test
    void a_testpmd_that_restarts_gets_its_traffic_back() {
        Netns host = lab.netns("vhhost");
        Path sock = lab.dir().resolve("vm1.sock");
        Daemon daemon = Daemon.start(lab, host, config("it-vhost-restart", sock, "server", null));
        Netns ns = tapNamespace(host);
        Testpmd first = testpmd(host, "vm1", sock, VM1, false, "5tswap");
        awaitLinkUp(daemon, "port vm1: link up");
        assertThat(echoes(ns, 50)).isEqualTo(50);

        first.stop(true); // killed: no goodbye on the socket
        daemon.awaitLog("port vm1: vhost-user front-end disconnected", Duration.ofSeconds(10));
        assertThat(echoes(ns, 5)).as("nothing answers while the guest is gone").isZero();

        testpmd(host, "vm1b", sock, VM1, false, "5tswap");
        awaitLinkUp(daemon, "(?s)disconnected.*link up on vhost-user");
        assertThat(echoes(ns, 50)).as("echoes after the restart\n" + lab.diagnostics()).isEqualTo(50);
    }

    @Test
    void in_client_mode_vxswitch_connects_to_testpmds_socket_and_again_after_testpmd_restarts() {
        Netns host = lab.netns("vhhost");
        Path sock = lab.dir().resolve("vm1.sock");
        Daemon daemon = Daemon.start(lab, host, config("it-vhost-client", sock, "client", null));
        daemon.awaitLog("port vm1: waiting for the front-end's socket", Duration.ofSeconds(10));
        Netns ns = tapNamespace(host);
        Testpmd first = testpmd(host, "vm1", sock, VM1, true, "5tswap");
        awaitLinkUp(daemon, "port vm1: link up");
        assertThat(echoes(ns, 50)).isEqualTo(50);

        first.stop(false);
        daemon.awaitLog("port vm1: vhost-user front-end disconnected", Duration.ofSeconds(10));
        testpmd(host, "vm1b", sock, VM1, true, "5tswap");
        awaitLinkUp(daemon, "(?s)disconnected.*connected on .*link up on vhost-user");
        assertThat(echoes(ns, 50)).as("echoes after testpmd came back\n" + lab.diagnostics()).isEqualTo(50);
        String out = daemon.stop();
        assertThat(out).contains("stopped").doesNotContain("Exception");
        assertThat(sock).as("a client's socket is the front-end's: vxswitch leaves it").exists();
    }
}
