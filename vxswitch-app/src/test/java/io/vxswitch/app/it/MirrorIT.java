package io.vxswitch.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Port mirroring (SPAN) on real taps, read back with tshark:
 * <pre>
 *   vm1 10.0.0.1 --tap vm1--+
 *   vm2 10.0.0.2 --tap vm2--+ vxswitch (namespace host), port group lan (no VLAN)
 *   analyzer     --tap vm3--+ destination of session span-vm1: vm1, both ways
 * </pre>
 * tshark runs in vm1 (on vm1's own interface: what it sent and received) and in the analyzer's namespace; the
 * analyzer must have received the very same frames, byte for byte and in the same order, and nothing else. A session
 * added with the CLI at run time truncates: the analyzer gets each frame's first 100 bytes. IPv6 is off in the
 * namespaces (no router solicitations or DAD frames among the test's), and the taps have no offloads, so a frame's
 * checksums are final on the wire vm1 captures on. Namespaces are {@code mir-<random>-<role>}.
 */
@Timeout(180)
class MirrorIT {
    private static final String CONFIG = """
        switch: {name: it-mirror}
        portGroups:
          - {name: lan}
        ports:
          - {name: vm1, type: tap, portGroup: lan, mac: "02:00:00:00:00:01", offload: false}
          - {name: vm2, type: tap, portGroup: lan, mac: "02:00:00:00:00:02", offload: false}
          - {name: vm3, type: tap, portGroup: lan, mac: "02:00:00:00:00:03", offload: false}
        mirrors:
          - {name: span-vm1, sources: {ports: [vm1]}, direction: both, destination: {port: vm3}}
        """;

    private Lab lab;
    private Daemon daemon;
    private Netns vm1;
    private Netns vm2;
    private Netns analyzer;

    @BeforeEach
    void build() {
        lab = Lab.open("mir-");
        Tools.assume("the mirror checks", "tshark", "python3");
        Netns host = lab.netns("host");
        daemon = Daemon.start(lab, host, CONFIG);
        assertThat(daemon.output()).contains("mirror span-vm1   both of vm1 to port vm3 (active)");
        vm1 = vm(lab, host, "vm1", "10.0.0.1/24", "02:00:00:00:00:01");
        vm2 = vm(lab, host, "vm2", "10.0.0.2/24", "02:00:00:00:00:02");
        analyzer = vm(lab, host, "vm3", null, "02:00:00:00:00:03");
    }

    private static Netns vm(Lab lab, Netns host, String tap, String cidr, String mac) {
        Netns ns = lab.netns(tap.equals("vm3") ? "analyzer" : tap);
        ns.sysctl("net.ipv6.conf.all.disable_ipv6=1");
        ns.sysctl("net.ipv6.conf.default.disable_ipv6=1");
        host.ip("link set " + tap + " netns " + ns.name());
        ns.ip("link set " + tap + " address " + mac);
        if (cidr != null) {
            ns.ip("addr add " + cidr + " dev " + tap);
        }
        ns.ip("link set " + tap + " up");
        return ns;
    }

    @AfterEach
    void cleanUp() {
        if (lab != null) {
            lab.close(); // the daemon, tshark and every mir- namespace, also after a failure
        }
    }

    @Test
    void the_analyzer_gets_every_frame_vm1_sends_and_receives_unchanged_and_in_order() {
        assertThat(daemon.cli("ports")).containsPattern("vm3 .* up, mirror only");
        JsonNode before = session("span-vm1");
        Capture atVm1 = Capture.tshark(lab, vm1, "vm1", "");
        Capture atAnalyzer = Capture.tshark(lab, analyzer, "vm3", "");
        capturing(atVm1, atAnalyzer);
        assertThat(vm1.ping("10.0.0.2", 5, 2).received()).as("vm1 pings vm2").isEqualTo(5);
        udp(vm2, "10.0.0.1", 5, 300); // vm2 -> vm1: egress of vm1
        atVm1.stop();
        atAnalyzer.stop();

        List<byte[]> seen = afterMarker(frames(atVm1.file()));
        List<byte[]> mirrored = afterMarker(frames(atAnalyzer.file()));
        System.out.printf("[MirrorIT] vm1 captured %d frames, the analyzer %d%n", seen.size(), mirrored.size());
        // ARP both ways, 5 requests and 5 replies, 5 datagrams from vm2
        assertThat(seen.size()).as(summary(atVm1.file())).isGreaterThanOrEqualTo(17);
        assertThat(hex(mirrored)).as("the analyzer's frames: vm1's, both ways, in order, unchanged\nvm1:\n"
            + summary(atVm1.file()) + "\nanalyzer:\n" + summary(atAnalyzer.file()) + "\nsession before: " + before
            + "\nafter: " + session("span-vm1") + "\nvm3: " + daemon.portStats("vm3")).isEqualTo(hex(seen));

        // The counts run from the start, and an ARP refresh may come just outside the captures: compared as deltas,
        // at least what was captured; the analyzer's port is sent the session's copies and nothing else.
        JsonNode session = session("span-vm1");
        assertThat(session.path("frames").asLong() - before.path("frames").asLong()).as(session.toString())
            .isGreaterThanOrEqualTo(mirrored.size());
        assertThat(session.path("bytes").asLong() - before.path("bytes").asLong())
            .isGreaterThanOrEqualTo(mirrored.stream().mapToLong(f -> f.length).sum());
        JsonNode port = daemon.portStats("vm3");
        assertThat(port.path("txFrames").asLong()).as("the analyzer's port gets copies only\n" + port)
            .isEqualTo(session("span-vm1").path("frames").asLong());
    }

    @Test
    void a_session_added_at_run_time_truncates_copies_and_is_kept_for_a_reload() throws IOException {
        assertThat(daemon.cli("mirror", "del", "span-vm1")).contains("removed mirror session span-vm1")
            .contains("comes back at the next reload");
        Cmd.Result clash = daemon.tryCli("mirror", "add", "cut", "--source-port", "vm1", "--destination-port", "vm3");
        assertThat(clash.err()).as("vm3 is span-vm1's again after a restart: a session there could not start")
            .contains("already the destination of session 'span-vm1'").contains("change it there");
        Files.writeString(daemon.configFile(), Files.readString(daemon.configFile()).replaceAll(
            "mirrors:\n.*\n", ""));
        assertThat(daemon.cli("config", "reload")).doesNotContain("mirror");

        assertThat(daemon.cli("mirror", "add", "cut", "--source-port", "vm1", "--direction", "ingress",
            "--destination-port", "vm3", "--truncate", "100")).contains("added mirror cut").contains("truncate 100");
        Path dropIn = daemon.configFile().resolveSibling(
            daemon.configFile().getFileName().toString().replace(".yaml", ".d")).resolve("mirrors.yaml");
        assertThat(Files.readString(dropIn)).contains("{name: \"cut\", sources: {ports: [\"vm1\"]}, direction: ingress,"
            + " destination: {port: \"vm3\"}, truncate: 100}");

        Capture atVm1 = Capture.tshark(lab, vm1, "vm1", "");
        Capture atAnalyzer = Capture.tshark(lab, analyzer, "vm3", "");
        capturing(atVm1, atAnalyzer);
        assertThat(vm1.ping("10.0.0.2", 1, 2).received()).isEqualTo(1);
        udp(vm1, "10.0.0.2", 5, 1000);
        atVm1.stop();
        atAnalyzer.stop();

        List<byte[]> sent = new ArrayList<>();
        for (byte[] f : afterMarker(frames(atVm1.file()))) {
            if (f[6] == 0x02 && f[11] == 0x01) { // source MAC 02:00:00:00:00:01: what vm1 sent (ingress only)
                sent.add(Arrays.copyOf(f, Math.min(f.length, 100)));
            }
        }
        List<byte[]> mirrored = afterMarker(frames(atAnalyzer.file()));
        assertThat(sent.size()).as(summary(atVm1.file())).isGreaterThanOrEqualTo(7);
        assertThat(hex(mirrored)).as("vm1's frames, each cut to 100 bytes\nanalyzer:\n" + summary(atAnalyzer.file()))
            .isEqualTo(hex(sent));
        JsonNode cut = session("cut");
        // the five 1042-byte datagrams; the 98-byte echo request and the ARP frames are shorter than 100
        assertThat(cut.path("truncated").asLong()).as(cut.toString()).isEqualTo(5);
        String table = daemon.cli("mirror", "show");
        System.out.print("[MirrorIT] vxswitch mirror show\n" + table);
        assertThat(table).contains("cut").contains("ingress").contains("vm1").contains("vm3").contains("active");

        // the files are the truth at a reload: the drop-in keeps the session, which runs on, counting
        assertThat(daemon.cli("config", "reload")).contains("no changes");
        assertThat(session("cut").path("frames").asLong()).isGreaterThanOrEqualTo(cut.path("frames").asLong());
    }

    /**
     * Returns once both captures take frames: dumpcap says "Capturing on" before its socket does, and on a loaded
     * machine the first second of frames was missing. vm1 sends datagrams to a made-up neighbour (MARKER_MAC, a MAC
     * the switch does not know: dropped as unknown unicast, and still mirrored, as vm1 sent it) until both captures
     * have one, then one more (END_MAC) that both must have: the test's frames are those after it.
     */
    private void capturing(Capture a, Capture b) {
        vm1.ip("neigh replace 10.0.0.98 lladdr 02:00:00:00:00:98 dev vm1");
        vm1.ip("neigh replace 10.0.0.99 lladdr 02:00:00:00:00:99 dev vm1");
        for (int i = 0; i < 50 && !(has(a, 0x98) && has(b, 0x98)); i++) {
            udp(vm1, "10.0.0.98", 1, 20);
            Background.sleep(200);
        }
        udp(vm1, "10.0.0.99", 1, 20);
        for (int i = 0; i < 50 && !(has(a, 0x99) && has(b, 0x99)); i++) {
            Background.sleep(100);
        }
        assertThat(has(a, 0x99) && has(b, 0x99)).as("both captures see vm1's marker").isTrue();
    }

    /** True if the capture's file holds a frame to 02:00:00:00:00:{@code last}. */
    private static boolean has(Capture c, int last) {
        Cmd.Result r = Cmd.run(List.of("tshark", "-n", "-r", c.file().toString(), "-Y",
            String.format("eth.dst == 02:00:00:00:00:%02x", last)));
        return r.ok() && !r.out().isBlank();
    }

    /** The frames after the last marker to 02:00:00:00:00:99 ({@link #capturing}). */
    private static List<byte[]> afterMarker(List<byte[]> frames) {
        int end = -1;
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            if (f[0] == 0x02 && f[1] == 0 && f[2] == 0 && f[3] == 0 && f[4] == 0 && f[5] == (byte) 0x99) {
                end = i;
            }
        }
        assertThat(end).as("the end marker is in the capture").isNotNegative();
        return frames.subList(end + 1, frames.size());
    }

    /** {@code count} UDP datagrams of {@code size} bytes from {@code from} to {@code to}:9, numbered. */
    private static void udp(Netns from, String to, int count, int size) {
        from.exec("python3", "-c", "import socket, time\n"
            + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            + "for i in range(" + count + "):\n"
            + "    s.sendto(bytes([i]) * " + size + ", ('" + to + "', 9))\n"
            + "    time.sleep(0.05)\n");
    }

    private JsonNode session(String name) {
        try {
            return new ObjectMapper().readTree(daemon.cli("mirror", "show", name, "--json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The frames of a capture, as written on the wire: tshark converts the pcapng to classic pcap, read here. */
    private List<byte[]> frames(Path pcapng) {
        Path pcap = pcapng.resolveSibling(pcapng.getFileName() + ".pcap");
        Cmd.run(List.of("tshark", "-r", pcapng.toString(), "-F", "pcap", "-w", pcap.toString())).check();
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(b.getInt(0)).as("a little-endian microsecond pcap").isEqualTo(0xa1b2c3d4);
            assertThat(b.getInt(20)).as("Ethernet link type").isEqualTo(1);
            List<byte[]> out = new ArrayList<>();
            int at = 24;
            while (at < b.limit()) {
                int captured = b.getInt(at + 8);
                int wire = b.getInt(at + 12);
                assertThat(captured).as("tshark kept the whole frame").isEqualTo(wire);
                byte[] f = new byte[captured];
                b.get(at + 16, f);
                out.add(f);
                at += 16 + captured;
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> hex(List<byte[]> frames) {
        return frames.stream().map(HexFormat.of()::formatHex).toList();
    }

    private static String summary(Path capture) {
        return Cmd.run(List.of("tshark", "-n", "-r", capture.toString())).out();
    }
}
