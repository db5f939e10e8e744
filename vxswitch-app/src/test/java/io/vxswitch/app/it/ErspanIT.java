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
 * Remote port mirroring over ERSPAN, received by a real peer: Open vSwitch's userspace datapath, whose {@code erspan}
 * ports end ERSPAN type II ({@code erspan_ver=1}) and type III ({@code erspan_ver=2}) tunnels and hand the mirrored
 * frames on (this machine's kernel has no erspan or gretap device to do it):
 * <pre>
 *   vm1 10.0.0.1 --tap vm1--+ vxswitch (namespace host)         namespace ovs: Open vSwitch, userspace datapath
 *   vm2 10.0.0.2 --tap vm2--+ session e2: vm1 both ways          br-int: ers2 (erspan, key 2, erspan_ver 1) --+
 *                           | to 198.51.100.2, session ID 2              ers3 (erspan, key 3, erspan_ver 2) --+-> col
 *        198.51.100.1 ul0 <======== veth ========> ul0 -- br-phy (198.51.100.2)                                 |
 *                                                                             namespace sink: eth0 <-- veth --+
 * </pre>
 * tshark captures vm1's own interface (what vm1 sent and received), the sink (what Open vSwitch took out of the
 * ERSPAN packets) and the underlay (the ERSPAN packets themselves, decoded by Wireshark's {@code erspan} dissector).
 * The sink must get vm1's frames, byte for byte and in order; the underlay must hold ERSPAN of the session's version
 * and ID, one GRE sequence number after another. OpenFlow rules send each erspan port's frames to the sink and
 * nothing else (br-int does no MAC learning). Open vSwitch's userspace tunnels need the underlay address on an OVS
 * bridge (br-phy), as in {@link OvsVxlanIT}.
 */
@Timeout(240)
class ErspanIT {
    private static final String CONFIG = """
        switch: {name: it-erspan}
        portGroups:
          - {name: lan}
        ports:
          - {name: vm1, type: tap, portGroup: lan, mac: "02:00:00:00:00:01", offload: false}
          - {name: vm2, type: tap, portGroup: lan, mac: "02:00:00:00:00:02", offload: false}
        mirrors:
          - name: e2
            sources: {ports: [vm1]}
            direction: both
            destination: {erspan: {remote: 198.51.100.2, sessionId: 2}}
        """;

    private Lab lab;
    private Daemon daemon;
    private Ovs ovs;
    private Netns host;
    private Netns vm1;
    private Netns vm2;
    private Netns sink;

    @BeforeEach
    void build() {
        lab = Lab.open("ers-");
        Tools.assume("the ERSPAN checks", "tshark", "python3", "ethtool");
        Ovs.assumeInstalled("the ERSPAN collector");
        host = lab.netns("host");
        Netns collector = lab.netns("ovs");
        sink = lab.netns("sink");
        lab.veth(host, "ul0", collector, "ul0", 1500);
        host.ip("addr add 198.51.100.1/24 dev ul0");
        host.offloadsOff("ul0");
        collector.offloadsOff("ul0");
        // the kernel under br-phy would answer ARP for 198.51.100.2 from ul0 itself, and the ERSPAN packets sent to
        // that MAC would pass Open vSwitch's tunnel port by; only the bridge's address may answer
        collector.sysctl("net.ipv4.conf.ul0.arp_ignore=1");
        lab.veth(collector, "col", sink, "eth0", 1500);
        collector.offloadsOff("col");
        sink.offloadsOff("eth0");

        ovs = Ovs.start(lab, collector);
        ovs.vsctl("add-br", "br-phy", "--", "set", "bridge", "br-phy", "datapath_type=netdev");
        ovs.vsctl("add-port", "br-phy", "ul0");
        collector.ip("addr add 198.51.100.2/24 dev br-phy");
        collector.ip("link set br-phy up");
        ovs.vsctl("add-br", "br-int", "--", "set", "bridge", "br-int", "datapath_type=netdev");
        ovs.vsctl("add-port", "br-int", "ers2", "--", "set", "interface", "ers2", "type=erspan",
            "options:remote_ip=198.51.100.1", "options:local_ip=198.51.100.2", "options:key=2", "options:erspan_ver=1");
        ovs.vsctl("add-port", "br-int", "ers3", "--", "set", "interface", "ers3", "type=erspan",
            "options:remote_ip=198.51.100.1", "options:local_ip=198.51.100.2", "options:key=3", "options:erspan_ver=2");
        ovs.vsctl("add-port", "br-int", "col");
        ovs.ofctl("del-flows", "br-int");
        ovs.ofctl("add-flow", "br-int", "in_port=ers2,actions=output:col");
        ovs.ofctl("add-flow", "br-int", "in_port=ers3,actions=output:col");
        host.ip("neigh replace 198.51.100.2 lladdr " + collector.mac("br-phy") + " dev ul0");

        daemon = Daemon.start(lab, host, CONFIG);
        assertThat(daemon.output()).contains("mirror e2         both of vm1 to erspan type II to 198.51.100.2 session 2"
            + " (active)");
        vm1 = lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", "02:00:00:00:00:01");
        vm2 = lab.vmOnTap("vm2", host, "vm2", "10.0.0.2/24", "02:00:00:00:00:02");
    }

    @AfterEach
    void cleanUp() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void open_vswitch_gets_every_frame_vm1_sends_and_receives_over_erspan_type_ii_in_order_and_unchanged() {
        Capture atVm1 = Capture.tshark(lab, vm1, "vm1", "");
        Capture atSink = Capture.tshark(lab, sink, "eth0", "");
        Capture underlay = Capture.tshark(lab, host, "ul0", "ip proto 47");
        capturing(atVm1, atSink);
        assertThat(vm1.ping("10.0.0.2", 5, 2).received()).as("vm1 pings vm2").isEqualTo(5);
        udp(vm2, "10.0.0.1", 5, 300); // vm2 -> vm1: egress of vm1
        Background.sleep(300);
        atVm1.stop();
        atSink.stop();
        underlay.stop();

        List<byte[]> seen = afterMarker(frames(atVm1.file(), 0));
        List<byte[]> delivered = afterMarker(frames(atSink.file(), 0));
        List<byte[]> inner = afterMarker(frames(underlay.file(), 14 + 20 + 16));
        System.out.printf("[ErspanIT] vm1 captured %d frames, the underlay %d ERSPAN packets after the marker, the"
            + " collector's sink %d frames%n", seen.size(), inner.size(), delivered.size());
        assertThat(seen.size()).as(summary(atVm1.file())).isGreaterThanOrEqualTo(15);
        String why = "\nvm1:\n" + summary(atVm1.file()) + "\nunderlay:\n" + summary(underlay.file()) + "\nsink:\n"
            + summary(atSink.file()) + "\nsession: " + session("e2") + ovs.state("br-int", "br-phy");
        assertThat(hex(inner)).as("the ERSPAN packets hold vm1's frames, in order" + why).isEqualTo(hex(seen));
        assertThat(hex(delivered)).as("Open vSwitch hands on vm1's frames, in order, unchanged" + why)
            .isEqualTo(hex(seen));

        List<String[]> fields = erspanFields(underlay.file());
        assertThat(fields).as("every GRE packet on the underlay is ERSPAN to the session" + why)
            .hasSize(frames(underlay.file(), 0).size());
        long first = Long.parseLong(fields.getFirst()[2]);
        for (int i = 0; i < fields.size(); i++) {
            String[] f = fields.get(i);
            assertThat(f[0]).as("ERSPAN version 1: type II").isEqualTo("1");
            assertThat(f[1]).as("session ID").isEqualTo("2");
            assertThat(Long.parseLong(f[2])).as("one GRE sequence number per packet, in order").isEqualTo(first + i);
            assertThat(f[3]).as("not truncated").isIn("0", "False");
        }

        JsonNode e2 = session("e2");
        assertThat(e2.path("erspan").path("packets").asLong()).as(e2.toString()).isGreaterThanOrEqualTo(fields.size());
        assertThat(e2.path("erspan").path("dropped").toString()).isEqualTo(
            "{\"queue_full\":0,\"unreachable\":0,\"refused\":0}");
        String table = daemon.cli("mirror", "show");
        System.out.print("[ErspanIT] vxswitch mirror show\n" + table);
        assertThat(table).contains("erspan:198.51.100.2 id 2 II").contains("e2: ERSPAN packets");
        assertThat(daemon.get("/metrics")).contains("vxswitch_mirror_erspan_packets_total{session=\"e2\"}");
    }

    @Test
    void a_type_iii_session_added_at_run_time_truncates_with_the_t_bit_and_a_bad_one_is_refused() {
        Cmd.Result unreachable = daemon.tryCli("mirror", "add", "nowhere", "--source-port", "vm2",
            "--destination-erspan", "203.0.113.9", "--erspan-id", "9");
        assertThat(unreachable.err()).as("no route: refused at add time")
            .contains("no route to the collector 203.0.113.9");
        assertThat(daemon.cli("mirror", "del", "e2")).contains("removed mirror session e2");
        assertThat(daemon.cli("mirror", "add", "e3", "--source-port", "vm1", "--direction", "ingress",
            "--destination-erspan", "198.51.100.2", "--erspan-id", "3", "--erspan-version", "3", "--truncate", "100"))
            .contains("added mirror e3").contains("erspan type III to 198.51.100.2 session 3");

        Capture atVm1 = Capture.tshark(lab, vm1, "vm1", "");
        Capture atSink = Capture.tshark(lab, sink, "eth0", "");
        Capture underlay = Capture.tshark(lab, host, "ul0", "ip proto 47");
        capturing(atVm1, atSink);
        assertThat(vm1.ping("10.0.0.2", 2, 2).received()).isEqualTo(2);
        udp(vm1, "10.0.0.2", 5, 1000);
        Background.sleep(300);
        atVm1.stop();
        atSink.stop();
        underlay.stop();

        List<byte[]> sent = new ArrayList<>();
        for (byte[] f : afterMarker(frames(atVm1.file(), 0))) {
            if (f[6] == 0x02 && f[11] == 0x01) { // what vm1 sent: ingress only
                sent.add(Arrays.copyOf(f, Math.min(f.length, 100)));
            }
        }
        List<byte[]> delivered = afterMarker(frames(atSink.file(), 0));
        String why = "\nunderlay:\n" + summary(underlay.file()) + "\nsink:\n" + summary(atSink.file())
            + "\nsession: " + session("e3") + ovs.state("br-int", "br-phy");
        assertThat(sent.size()).isGreaterThanOrEqualTo(8);
        assertThat(hex(delivered)).as("vm1's frames, each cut to 100 bytes" + why).isEqualTo(hex(sent));
        List<String[]> fields = erspanFields(underlay.file());
        long truncated = 0;
        long first = Long.parseLong(fields.getFirst()[2]);
        for (int i = 0; i < fields.size(); i++) {
            String[] f = fields.get(i);
            assertThat(f[0]).as("ERSPAN version 2: type III" + why).isEqualTo("2");
            assertThat(f[1]).isEqualTo("3");
            assertThat(Long.parseLong(f[2])).isEqualTo(first + i);
            assertThat(f[4]).as("ingress copies: D is 0").isIn("0", "False");
            truncated += f[3].equals("1") || f[3].equals("True") ? 1 : 0;
        }
        assertThat(truncated).as("the five 1042-byte datagrams carry the T bit" + why).isEqualTo(5);
    }

    /** Per ERSPAN packet of the capture: version, session ID, GRE sequence number, T bit, D bit (type III). */
    private static List<String[]> erspanFields(Path capture) {
        String out = Cmd.run(List.of("tshark", "-n", "-r", capture.toString(), "-Y", "erspan", "-T", "fields",
            "-E", "separator=,", "-e", "erspan.version", "-e", "erspan.spanid", "-e", "gre.sequence_number",
            "-e", "erspan.truncated", "-e", "erspan.direction")).check().out();
        return out.lines().filter(l -> !l.isBlank()).map(l -> l.split(",", -1)).toList();
    }

    /** As MirrorIT's: vm1 sends to made-up MACs until both captures have the marker, then the end marker. */
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
        assertThat(has(a, 0x99) && has(b, 0x99)).as("both captures see vm1's marker"
            + ovs.state("br-int", "br-phy")).isTrue();
    }

    private static boolean has(Capture c, int last) {
        Cmd.Result r = Cmd.run(List.of("tshark", "-n", "-r", c.file().toString(), "-Y",
            String.format("eth.dst == 02:00:00:00:00:%02x", last)));
        return r.ok() && !r.out().isBlank();
    }

    /** The frames after the last end marker (a frame to 02:00:00:00:00:99). */
    private static List<byte[]> afterMarker(List<byte[]> frames) {
        int end = -1;
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            if (f.length >= 6 && f[0] == 0x02 && f[1] == 0 && f[2] == 0 && f[3] == 0 && f[4] == 0
                    && f[5] == (byte) 0x99) {
                end = i;
            }
        }
        assertThat(end).as("the end marker is in the capture").isNotNegative();
        return frames.subList(end + 1, frames.size());
    }

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

    /** The frames of a capture, each from byte {@code skip} on (past the outer headers of an ERSPAN packet). */
    private static List<byte[]> frames(Path pcapng, int skip) {
        Path pcap = pcapng.resolveSibling(pcapng.getFileName() + "." + skip + ".pcap");
        Cmd.run(List.of("tshark", "-r", pcapng.toString(), "-F", "pcap", "-w", pcap.toString())).check();
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(b.getInt(20)).as("Ethernet link type").isEqualTo(1);
            List<byte[]> out = new ArrayList<>();
            int at = 24;
            while (at < b.limit()) {
                int captured = b.getInt(at + 8);
                assertThat(captured).as("tshark kept the whole frame").isEqualTo(b.getInt(at + 12));
                byte[] f = new byte[captured];
                b.get(at + 16, f);
                out.add(Arrays.copyOfRange(f, Math.min(skip, f.length), f.length));
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
        return Cmd.run(List.of("tshark", "-n", "-r", capture.toString(), "-V", "-O", "erspan")).out();
    }
}
