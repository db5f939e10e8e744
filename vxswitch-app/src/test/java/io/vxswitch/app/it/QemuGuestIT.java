package io.vxswitch.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Linux VM on a vhost-user port: QEMU (TCG) boots Debian's kernel with a busybox initramfs
 * ({@link QemuGuest}, scripts/guest-image.sh) whose virtio-net NIC is vxswitch's port vm1:
 * <pre>
 *   [QEMU: Linux, virtio_net eth0 10.0.0.5 02:..:05] --vhost-user socket--+
 *                                                                        +-- vxswitch (namespace vmqhost), VLAN 119
 *   [namespace vmqpeer, tap1 10.0.0.1 02:..:0a] --------------tap--------+
 * </pre>
 * The guest's /init pings 10.0.0.1 three times, then sends 1 MiB of random bytes over TCP to the peer, which sends
 * them back (both ways with the guest's checksum and segmentation offloads, as its driver negotiated them), prints
 * what it got on the serial console and powers off. The test holds the guest to its console lines, the peer's own
 * count of the bytes, and vxswitch's counters for port vm1, so nothing passes unless frames crossed the port. Both
 * socket modes of docs/vms.md: vxswitch creates the socket and QEMU connects; QEMU creates it and vxswitch connects,
 * and then vxswitch also restarts under the running guest, which keeps its NIC. One boot per test, 24-36 s each
 * under TCG here (QEMU with {@code vectors=0}: {@link QemuGuest#command}); docs/vms.md has the figures.
 */
@Timeout(300)
class QemuGuestIT extends LabIT {
    private static final String GUEST_MAC = "02:00:00:00:00:05";
    private static final String PEER_MAC = "02:00:00:00:00:0a";
    private static final int BYTES = 1 << 20;
    /** The guest's first round takes 10-20 s under TCG here; a loaded CI machine may take a few times that. */
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(180);
    private static final Pattern RECEIVED = Pattern.compile("received (\\d+) md5 ([0-9a-f]{32}) from (\\S+)");

    private QemuGuest.Image image;

    @BeforeEach
    void guestImage() {
        Tools.assume("the Linux VM test", "qemu-system-x86_64", "python3");
        image = QemuGuest.image(); // fails (never skips) when the guest cannot be built
    }

    @Test
    void a_linux_guest_on_a_socket_vxswitch_serves_pings_a_tap_namespace_and_moves_a_mebibyte_over_tcp() {
        bootAndCheck("server", false, 1);
    }

    /**
     * vxswitch with two forwarding loops offers two queue pairs; a guest with two vCPUs and {@code queues=2} runs
     * both (its sysfs shows rx-0, rx-1, tx-0, tx-1), and the same pings and mebibyte cross.
     */
    @Test
    void a_linux_guest_with_two_vcpus_runs_a_queue_pair_per_forwarding_loop() {
        bootAndCheck("server", false, 2);
    }

    /**
     * Client mode, as docs/vms.md advises for libvirt: QEMU owns the socket, so vxswitch can restart under a running
     * guest. After the first round the guest waits for a TCP connection from the peer; meanwhile vxswitch stops
     * (SIGTERM, its taps go with it) and starts again, connects to QEMU's socket, and the connection reaches the guest
     * through the new switch, which pings the peer again.
     */
    @Test
    void a_linux_guest_whose_qemu_serves_the_socket_moves_a_mebibyte_and_keeps_its_nic_when_vxswitch_restarts() {
        bootAndCheck("client", true, 1);
    }

    /**
     * One boot of the guest with vxswitch's port vm1 in {@code mode} (vxswitch's side of the socket); with
     * {@code restart}, vxswitch restarts under the running guest after the first round.
     */
    private void bootAndCheck(String mode, boolean restart, int pairs) {
        Netns host = lab.netns("vmqhost");
        Path sock = lab.dir().resolve("vm1.sock");
        String yaml = """
            switch: {name: it-qemu-%s%s}
            portGroups:
              - {name: vlan119, vlan: 119}
            ports:
              - {name: vm1, type: vhostuser, socket: "%s", mode: %s, portGroup: vlan119, mac: "%s"}
              - {name: tap1, type: tap, portGroup: vlan119, mac: "%s"}
            """.formatted(mode, pairs > 1 ? ", loops: " + pairs : "", sock, mode, GUEST_MAC, PEER_MAC);
        Daemon daemon = Daemon.start(lab, host, yaml);
        Netns peer = lab.vmOnTap("vmqpeer", host, "tap1", "10.0.0.1/24", PEER_MAC);
        Background echo = tcpEcho(peer, "10.0.0.1", 5001, BYTES);

        QemuGuest vm = QemuGuest.boot(lab, host, "vm1", image, sock, mode.equals("client"), GUEST_MAC, pairs,
            "vmq.ip=10.0.0.5/24 vmq.peer=10.0.0.1 vmq.count=3 vmq.tcp=5001 vmq.bytes=" + BYTES
                + (restart ? " vmq.wait=5002" : ""));
        Duration wall;
        try {
            wall = restart ? vm.awaitLine("^VMQ WAITING on TCP port 5002", BOOT_TIMEOUT) : vm.awaitDone(BOOT_TIMEOUT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n$ " + vm.commandLine() + lab.diagnostics(), e);
        }
        String console = vm.console();
        String why = "\n$ " + vm.commandLine() + "\n----- guest console\n" + console + "\n----- vxswitch\n"
            + daemon.output() + "\n----- peer\n" + echo.output();

        assertThat(console).as("the queues the guest's driver runs" + why).contains(pairs > 1
            ? "VMQ eth0 queues rx-0 rx-1 tx-0 tx-1" : "VMQ eth0 queues rx-0 tx-0");
        assertThat(console).as("the guest's pings to 10.0.0.1 through vxswitch" + why).contains("VMQ PING OK 3/3");
        assertThat(vm.line("TCP")).as("the guest's 1 MiB over TCP, back whole" + why).startsWith("TCP OK " + BYTES);
        Matcher got = RECEIVED.matcher(echo.output());
        assertThat(got.find()).as("the peer received the guest's bytes" + why).isTrue();
        assertThat(Long.parseLong(got.group(1))).as("bytes the peer received").isEqualTo(BYTES);
        assertThat(vm.line("TCP")).as("the md5 the peer computed is the guest's" + why).endsWith("md5 " + got.group(2));
        assertThat(got.group(3)).as("the peer's TCP peer").isEqualTo("10.0.0.5");

        // Linux's virtio_net takes the offloads vxswitch offers and QEMU 7.2 passes on (not USO, newer than 7.2), so
        // the mebibyte crosses as TCP super-frames both ways (90-250 frames each way here, not ~725 of 1448 bytes)
        assertThat(daemon.output()).as("vxswitch's log of the guest's driver" + why)
            .containsPattern("port vm1: the guest's driver accepted virtio 1\\.0, mergeable rx buffers, csum, tso.*"
                + "guest csum, guest tso" + (pairs > 1 ? ".*multiqueue" : ""))
            .containsPattern("port vm1: link up on vhost-user socket " + Pattern.quote(sock.toString())
                + " \\(" + mode + "\\)");
        JsonNode vm1 = daemon.portStats("vm1");
        assertThat(vm1.path("rxFrames").asLong()).as("frames vxswitch received from the guest " + vm1)
            .isGreaterThanOrEqualTo(3);
        assertThat(vm1.path("txFrames").asLong()).as("frames vxswitch sent to the guest " + vm1)
            .isGreaterThanOrEqualTo(3);
        assertThat(vm1.path("rxBytes").asLong()).as("bytes from the guest: its mebibyte and headers " + vm1)
            .isGreaterThan(BYTES);
        assertThat(vm1.path("txBytes").asLong()).as("bytes to the guest: the mebibyte back " + vm1)
            .isGreaterThan(BYTES);
        assertThat(vm1.toString()).as("vm1's counters").doesNotContain("guest_ring_error");
        // the port goes up when the driver enables its rings, not at the next link check: the guest's first ARP
        // request, sent right after, is not dropped as port_down
        assertThat(vm1.path("drops").path("port_down").asLong()).as("frames the guest sent while vm1 was down " + vm1)
            .isZero();
        JsonNode tap1 = daemon.portStats("tap1");
        if (restart) {
            restartUnder(vm, host, peer, daemon, yaml);
        }
        assertThat(vm.awaitExit(Duration.ofSeconds(20))).as("QEMU exits once the guest powered off" + why).isZero();

        // what docs/vms.md quotes: the boot's timings, what the guest saw, the counters, the guest's own lines
        String guestLines = String.join("\n", console.lines().filter(l -> l.startsWith("VMQ ")
            || l.contains("bytes from") || l.contains("packets transmitted")).toList());
        String accepted = daemon.output().lines().filter(l -> l.contains("the guest's driver accepted")).findFirst()
            .orElse("?");
        System.out.printf("QemuGuestIT (%s, %d queue pairs): guest kernel to /init %.2f s, /init done at %.2f s (guest clock); QEMU "
                + "start to the guest's first round done %.1f s wall; eth0 mtu %d; driver features %s; %s; vm1 %s; "
                + "tap1 %s%n%s%n", mode, pairs,
            vm.kernelBootSeconds(), vm.guestSeconds(), wall.toMillis() / 1000.0, vm.mtu(), vm.features(), accepted,
            vm1, tap1, guestLines);
    }

    /**
     * Stops {@code daemon} and starts it again with the same config while the guest waits on TCP port 5002, gives
     * the new tap1 back to the peer's namespace, tells the guest to go on from the peer (its connection crosses the
     * new switch), and holds the guest's second round of pings and the new switch's counters.
     */
    private void restartUnder(QemuGuest vm, Netns host, Netns peer, Daemon daemon, String yaml) {
        long start = System.nanoTime();
        assertThat(daemon.stop()).as("vxswitch stops on SIGTERM").contains("stopped").doesNotContain("Exception");
        Daemon again = Daemon.start(lab, host, yaml);
        try {
            again.awaitLog("port vm1: link up on vhost-user socket", Duration.ofSeconds(20));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n----- guest console\n" + vm.console(), e);
        }
        double linkUp = (System.nanoTime() - start) / 1e9;
        host.ip("link set tap1 netns " + peer.name()); // the old tap went with the old switch
        peer.ip("link set tap1 address " + PEER_MAC);
        peer.ip("addr add 10.0.0.1/24 dev tap1");
        peer.ip("link set tap1 up");
        Path script = lab.dir().resolve("tcp-go.py");
        try {
            Files.writeString(script, """
                import socket, sys, time
                addr, port = sys.argv[1], int(sys.argv[2])
                deadline = time.time() + 30
                while True:
                    try:
                        s = socket.create_connection((addr, port), timeout=3)
                        break
                    except OSError as e:
                        if time.time() > deadline:
                            sys.exit("cannot connect to %s:%d: %s" % (addr, port, e))
                        time.sleep(0.5)
                s.sendall(b"go")
                s.shutdown(socket.SHUT_WR)
                s.settimeout(10)
                while s.recv(100):
                    pass
                print("told the guest", flush=True)
                """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Cmd.Result go = peer.run(Duration.ofSeconds(45), "python3", script.toString(), "10.0.0.5", "5002");
        String why = "\n----- guest console\n" + vm.console() + "\n----- vxswitch after its restart\n"
            + again.output() + "\n----- peer\n" + go.describe();
        assertThat(go.ok()).as("the peer reaches the guest through the restarted switch" + why).isTrue();
        vm.awaitDone(Duration.ofSeconds(60));
        assertThat(vm.console()).as("the guest's pings after vxswitch restarted" + why)
            .contains("VMQ GOT 'go' on TCP port 5002").contains("VMQ PING AGAIN OK 3/3");
        JsonNode vm1 = again.portStats("vm1");
        assertThat(vm1.path("rxFrames").asLong()).as("frames the new switch received from the guest " + vm1)
            .isGreaterThanOrEqualTo(3);
        assertThat(vm1.path("txFrames").asLong()).as("frames the new switch sent to the guest " + vm1)
            .isGreaterThanOrEqualTo(3);
        assertThat(vm1.toString()).as("vm1's counters").doesNotContain("guest_ring_error");
        System.out.printf("QemuGuestIT: vxswitch restarted under the guest: link up %.1f s after the SIGTERM; "
                + "vm1 %s%n%s%n", linkUp, vm1, String.join("\n", vm.console().lines()
                .filter(l -> l.startsWith("VMQ GOT") || l.startsWith("VMQ PING AGAIN")).toList()));
    }

    /**
     * A TCP server in {@code ns} on {@code addr:port}: takes one connection, reads {@code bytes}, prints how many
     * and their md5, sends them back and closes. Returns once it listens.
     */
    private Background tcpEcho(Netns ns, String addr, int port, int bytes) {
        Path script = lab.dir().resolve("tcp-echo.py");
        try {
            Files.writeString(script, """
                import hashlib, socket, sys
                addr, port, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((addr, port))
                s.listen(1)
                s.settimeout(280)
                print("listening", flush=True)
                c, peer = s.accept()
                c.settimeout(60)
                data = bytearray()
                while len(data) < size:
                    b = c.recv(65536)
                    if not b:
                        break
                    data += b
                print("received", len(data), "md5", hashlib.md5(data).hexdigest(), "from", peer[0], flush=True)
                c.sendall(data)
                c.close()
                print("sent back", len(data), flush=True)
                """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Background b = lab.spawn("tcp echo", ns, "python3", script.toString(), addr, Integer.toString(port),
            Integer.toString(bytes));
        b.awaitOutput(out -> out.contains("listening"), "'listening'", Duration.ofSeconds(10));
        return b;
    }
}
