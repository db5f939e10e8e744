package io.vxswitch.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IPFIX flow export to real collectors: nfcapd (Debian's nfdump) and tshark's IPFIX dissector in a namespace of
 * their own, reached over an underlay veth from the switch's namespace.
 * <pre>
 *   vm1 10.0.0.1 --tap--+                               collector namespace (also a kernel VTEP)
 *                       | vxswitch (host) ul0 192.0.2.1 ---veth--- ul0 192.0.2.2: nfcapd on 4739, tshark,
 *   vm2 10.0.0.2 --tap--+   tunnel vx119, VNI 119                   br0 + vxlan119 -- vm3 10.0.0.3
 * </pre>
 * vm1 pings vm2 five times, sends seven UDP datagrams from port 40000 to port 5001, and pings vm3 (behind the tunnel)
 * three times; with an idle timeout of 1 s the flows are exported within seconds, and the collectors must show each
 * with its packet and byte counts, addresses, ports, MACs and interfaces, the tunnel's flows with VNI 119. A reload
 * then changes the sampling. The same over IPv6 (templates 260 and 261). With {@code sampling: 2}, and 4 after a
 * reload, nfcapd learns the sampling from the switch's options records (no {@code -s}) and scales what nfdump prints.
 * Namespaces are {@code ipx-<random>-<role>}.
 */
@Timeout(240)
class IpfixIT {
    private static final String CONFIG = """
        switch: {name: it-ipfix}
        portGroups:
          - {name: vlan119, vlan: 119}
        ports:
          - {name: vm1, type: tap, portGroup: vlan119, mac: "02:00:00:00:00:01"}
          - {name: vm2, type: tap, portGroup: vlan119, mac: "02:00:00:00:00:02"}
        tunnels:
          - {name: vx119, vni: 119, vlan: 119, local: 192.0.2.1, remotes: [192.0.2.2], port: 4789}
        ipfix:
          collectors: [192.0.2.2:4739]
          observationDomain: 119
          activeTimeout: 30s
          idleTimeout: 1s
        """;
    private static final int PINGS = 5;
    private static final int DATAGRAMS = 7;
    private static final int DATAGRAM_PAYLOAD = 100;
    /** Datagrams of each burst in the sampled test: 10 observed at 1 in 2, 5 at 1 in 4. */
    private static final int SAMPLED_DATAGRAMS = 20;

    private Lab lab;
    private Daemon daemon;
    private Netns host;
    private Netns collector;
    private Netns vm1;
    private Netns vm2;
    private Netns vm3;
    private Path flows;
    private Background nfcapd;
    private Capture capture;

    @BeforeEach
    void build() throws IOException {
        lab = Lab.open("ipx-");
        Tools.assume("the IPFIX collector checks", "nfcapd", "nfdump", "tshark", "python3");
        host = lab.netns("host");
        collector = lab.netns("col");
        lab.veth(host, "ul0", collector, "ul0", 1500);
        host.ip("addr add 192.0.2.1/24 dev ul0");
        collector.ip("addr add 192.0.2.2/24 dev ul0");
        host.offloadsOff("ul0"); // as KernelVxlanIT: no VXLAN with inner checksums left to a NIC a veth lacks
        collector.offloadsOff("ul0");
        vm3 = lab.vm3BehindKernelVtep(collector, "192.0.2.2", "192.0.2.1", "10.0.0.3/24", "02:00:00:00:00:03");
        flows = Files.createDirectories(lab.dir().resolve("flows"));
        // -v: nfcapd logs the samplers it learns ("Add new sampler id: -1, ... packet space: 1")
        nfcapd = lab.spawn("nfcapd", collector, "nfcapd", "-v", "-w", flows.toString(), "-b", "192.0.2.2", "-p",
            "4739", "-t", "3600");
        awaitListening(collector, 4739);
        capture = Capture.tshark(lab, collector, "ul0", "udp port 4739");
    }

    /** Starts the switch with {@link #CONFIG} sampling one frame in {@code sampling}, and puts vm1 and vm2 on it. */
    private void startSwitch(int sampling) {
        daemon = Daemon.start(lab, host, sampling == 1 ? CONFIG : CONFIG + "  sampling: " + sampling + "\n");
        assertThat(daemon.output()).contains("ipfix export to collectors [192.0.2.2:4739], observation domain 119,"
            + " sampling 1 in " + sampling + ", active timeout 30 s, idle timeout 1 s");
        vm1 = lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", "02:00:00:00:00:01");
        vm2 = lab.vmOnTap("vm2", host, "vm2", "10.0.0.2/24", "02:00:00:00:00:02");
    }

    @AfterEach
    void cleanUp() {
        if (lab != null) {
            lab.close(); // the daemon, nfcapd, tshark and every ipx- namespace, also after a failure
        }
    }

    @Test
    void nfcapd_and_tshark_receive_the_pings_and_datagrams_as_flows_with_their_counts() throws Exception {
        startSwitch(1);
        Ping ping = vm1.ping("10.0.0.2", PINGS, 2);
        assertThat(ping.received()).as(ping.toString()).isEqualTo(PINGS);
        vm1.exec("python3", "-c", "import socket\n"
            + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            + "s.bind(('10.0.0.1', 40000))\n"
            + "for i in range(" + DATAGRAMS + "): s.sendto(bytes(" + DATAGRAM_PAYLOAD + "), ('10.0.0.2', 5001))\n");
        Ping tunnel = vm1.ping("10.0.0.3", 3, 2);
        assertThat(tunnel.received()).as(tunnel.toString()).isEqualTo(3);

        // echo requests and replies to vm2 and vm3, datagrams, port unreachables, ARP
        JsonNode status = awaitRecords(7, Duration.ofSeconds(15));
        System.out.println("[IpfixIT] vxswitch ipfix:\n" + daemon.cli("ipfix"));
        assertThat(status.path("ringFullDrops").asLong()).isZero();
        assertThat(status.path("sendErrors").asLong()).isZero();
        assertThat(status.path("templateMessages").asLong()).isEqualTo(1);
        assertThat(status.path("interfaces").toString())
            .isEqualTo("[{\"port\":\"vm1\",\"index\":1},{\"port\":\"vm2\",\"index\":2},{\"port\":\"vx119\",\"index\":3}]");
        double metric = daemon.metric("vxswitch_ipfix_records_total"); // ARP probes may add records meanwhile
        long later = new ObjectMapper().readTree(daemon.cli("ipfix", "--json")).path("records").asLong();
        assertThat(metric).isBetween(status.path("records").asDouble(), (double) later);

        nfcapd.stop("TERM", Duration.ofSeconds(10)); // it writes its file out on SIGTERM
        List<String> dump = nfdump();
        System.out.println("[IpfixIT] nfdump (protocol, source, port, destination, port or ICMP type.code, packets,"
            + " bytes, source MAC, destination MAC, VLAN, in, out):\n" + String.join("\n", dump));
        // IP bytes: a ping is 84 (20 + 8 + 56), a datagram 128 (20 + 8 + 100)
        assertThat(dump).as("each flow once, with its counts").contains(
            "1 10.0.0.1 0 10.0.0.2 8.0 5 420 02:00:00:00:00:01 02:00:00:00:00:02 119 1 2",
            "1 10.0.0.2 0 10.0.0.1 0.0 5 420 02:00:00:00:00:02 02:00:00:00:00:01 119 2 1",
            "17 10.0.0.1 40000 10.0.0.2 5001 7 896 02:00:00:00:00:01 02:00:00:00:00:02 119 1 2",
            "1 10.0.0.1 0 10.0.0.3 8.0 3 252 02:00:00:00:00:01 02:00:00:00:00:03 119 1 3",
            "1 10.0.0.3 0 10.0.0.1 0.0 3 252 02:00:00:00:00:03 02:00:00:00:00:01 119 3 1");

        capture.stop();
        String decoded = collector.exec("tshark", "-n", "-r", capture.file().toString(), "-d", "udp.port==4739,cflow",
            "-V");
        List<String> fields = decoded.lines().map(String::trim).filter(l -> l.matches("(?i).*(version|domain|"
            + "template id|flowset id|mac|vlan|segment|interface|packets|octets|reason|srcport|dstport|srcaddr|"
            + "dstaddr|protocol|sampl|selector|options template).*")).distinct().toList();
        System.out.println("[IpfixIT] tshark, lines with the fields (distinct):\n" + String.join("\n", fields));
        assertThat(fields).as(decoded.length() > 20000 ? decoded.substring(0, 20000) : decoded).contains(
            "Version: 10", "Observation Domain Id: 119", "Template Id: 256", "Template Id: 261",
            "Source Mac Address: 02:00:00:00:00:01", "Destination Mac Address: 02:00:00:00:00:02", "Vlan Id: 119",
            "SrcAddr: 10.0.0.1", "DstAddr: 10.0.0.3", "SrcPort: 40000 (40000)", "DstPort: 5001 (5001)", "Packets: 7",
            "Octets: 896", "Flow End Reason: Idle timeout (1)", "FlowSet Id: (Data) (259)",
            // RFC 7133's layer2SegmentId of the tunnel's flows: segment type 0x01 (VXLAN) above VNI 119
            "Layer2 Segment Id: " + ((1L << 56) | 119),
            // the sampling report: every frame (PSAMP's 1 taken, 0 left; NetFlow's interval 1)
            "Options Template (Id = 262) (Scope Count = 1; Data Count = 3)", "Selector Id: 1",
            "Selector Algorithm: Systematic count-based Sampling (1)", "Sampling Packet Interval: 1",
            "Sampling Packet Space: 0", "Options Template (Id = 263) (Scope Count = 1; Data Count = 1)",
            "Sampling interval: 1");

        String file = Files.readString(daemon.configFile());
        Files.writeString(daemon.configFile(), file.replace("observationDomain: 119", "observationDomain: 119\n  sampling: 2"));
        assertThat(daemon.cli("config", "reload")).contains("ipfix: collectors [192.0.2.2:4739], observation domain 119,"
            + " sampling 1 in 2");
        JsonNode after = ipfix();
        for (int i = 0; i < 50 && after.path("templateMessages").asLong() < 2; i++) { // the first sweep, 0.1 s in
            Background.sleep(100);
            after = ipfix();
        }
        assertThat(after.path("sampling").asInt()).isEqualTo(2);
        // totals across the reload (ARP probes a few seconds after the pings may have added flows since)
        assertThat(after.path("records").asLong()).isGreaterThanOrEqualTo(status.path("records").asLong());
        assertThat(after.path("templateMessages").asLong()).as("the new exporter's templates").isEqualTo(2);
    }

    @Test
    void with_sampling_nfcapd_learns_it_from_the_options_records_and_nfdump_prints_scaled_counts() throws Exception {
        startSwitch(2);
        // a receiver on vm2, so that nothing answers the datagrams: the switch sees them back to back
        lab.spawn("udp-receiver", vm2, "python3", "-c", "import socket\n"
            + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            + "s.bind(('10.0.0.2', 5001))\n"
            + "while True: s.recv(2048)\n");
        awaitListening(vm2, 5001);
        Ping ping = vm1.ping("10.0.0.2", 1, 2); // resolves vm2's MAC first: no ARP among the datagrams
        assertThat(ping.received()).as(ping.toString()).isEqualTo(1);
        long before = ipfix().path("observed").asLong();
        burst(40000, SAMPLED_DATAGRAMS);
        JsonNode status = awaitExported(before + SAMPLED_DATAGRAMS / 2);

        // a reload to 1 in 4: the new exporter's templates carry the new report, and nfcapd updates its sampler
        String file = Files.readString(daemon.configFile());
        Files.writeString(daemon.configFile(), file.replace("sampling: 2", "sampling: 4"));
        assertThat(daemon.cli("config", "reload")).contains("sampling 1 in 4");
        for (int i = 0; i < 50 && ipfix().path("templateMessages").asLong() < 2; i++) { // the first sweep, 0.1 s in
            Background.sleep(100);
        }
        assertThat(ipfix().path("templateMessages").asLong()).isEqualTo(2);
        before = ipfix().path("observed").asLong();
        burst(40001, SAMPLED_DATAGRAMS);
        awaitExported(before + SAMPLED_DATAGRAMS / 4);
        System.out.println("[IpfixIT] vxswitch ipfix:\n" + daemon.cli("ipfix"));
        assertThat(status.path("ringFullDrops").asLong()).isZero();

        nfcapd.stop("TERM", Duration.ofSeconds(10));
        String learned = nfcapd.output();
        System.out.println("[IpfixIT] nfcapd's log:\n" + learned);
        assertThat(learned).as("nfcapd took samplingInterval 2, then 4, as a sampler of the exporter").contains(
            "Add new sampler id: -1, algorithm: 0, packet interval: 1, packet space: 1",
            "Update existing sampler id: -1, algorithm: 0, packet interval: 1, packet space: 3");
        List<String> dump = nfdump();
        System.out.println("[IpfixIT] nfdump, no -s (as above):\n" + String.join("\n", dump));
        // 20 datagrams of 128 IP bytes each time: the switch observed 10 (then 5), nfcapd scaled them back
        assertThat(dump).as("the counts scaled by the sampling the switch reported").contains(
            "17 10.0.0.1 40000 10.0.0.2 5001 20 2560 02:00:00:00:00:01 02:00:00:00:00:02 119 1 2",
            "17 10.0.0.1 40001 10.0.0.2 5001 20 2560 02:00:00:00:00:01 02:00:00:00:00:02 119 1 2");

        capture.stop();
        String decoded = collector.exec("tshark", "-n", "-r", capture.file().toString(), "-d", "udp.port==4739,cflow",
            "-V");
        List<String> report = decoded.lines().map(String::trim)
            .filter(l -> l.matches("(?i).*(options template|scope|sampl|selector).*")).distinct().toList();
        System.out.println("[IpfixIT] tshark, the sampling report (distinct lines):\n" + String.join("\n", report));
        assertThat(report).as(decoded.length() > 20000 ? decoded.substring(0, 20000) : decoded).contains(
            "Options Template (Id = 262) (Scope Count = 1; Data Count = 3)", "Field (1/1) [Scope]: selectorId",
            "Selector Id: 1", "Selector Algorithm: Systematic count-based Sampling (1)", "Sampling Packet Interval: 1",
            "Sampling Packet Space: 1", "Sampling Packet Space: 3",
            "Options Template (Id = 263) (Scope Count = 1; Data Count = 1)",
            "Field (1/1) [Scope]: observationDomainId", "Sampling interval: 2", "Sampling interval: 4");
        assertThat(flowRecords(decoded, "SrcPort: 40000 (40000)")).as("what the switch itself sent: the sampled frames")
            .containsExactly(List.of("SrcAddr: 10.0.0.1", "DstAddr: 10.0.0.2", "Packets: 10", "Octets: 1280"));
        assertThat(flowRecords(decoded, "SrcPort: 40001 (40001)"))
            .containsExactly(List.of("SrcAddr: 10.0.0.1", "DstAddr: 10.0.0.2", "Packets: 5", "Octets: 640"));
    }

    @Test
    void ipv6_flows_reach_nfcapd_and_tshark_with_their_addresses_and_counts() throws Exception {
        startSwitch(1);
        ipv6(vm1, "vm1", "2001:db8::1/64");
        ipv6(vm2, "vm2", "2001:db8::2/64");
        ipv6(vm3, "eth0", "2001:db8::3/64");
        Ping ping = vm1.ping("2001:db8::2", PINGS, 2);
        assertThat(ping.received()).as(ping.toString()).isEqualTo(PINGS);
        vm1.exec("python3", "-c", "import socket\n"
            + "s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)\n"
            + "s.bind(('2001:db8::1', 40000))\n"
            + "for i in range(" + DATAGRAMS + "): s.sendto(bytes(" + DATAGRAM_PAYLOAD + "), ('2001:db8::2', 5001))\n");
        Ping tunnel = vm1.ping("2001:db8::3", 3, 2);
        assertThat(tunnel.received()).as(tunnel.toString()).isEqualTo(3);
        awaitRecords(7, Duration.ofSeconds(15));

        nfcapd.stop("TERM", Duration.ofSeconds(10));
        List<String> dump = nfdump();
        System.out.println("[IpfixIT] nfdump, IPv6 (as above):\n" + String.join("\n", dump));
        // IPv6 bytes: a ping is 104 (40 + 8 + 56), a datagram 148 (40 + 8 + 100); ICMPv6 echo request 128, reply 129
        assertThat(dump).as("each IPv6 flow once, with its counts").contains(
            "58 2001:db8::1 0 2001:db8::2 128.0 5 520 02:00:00:00:00:01 02:00:00:00:00:02 119 1 2",
            "58 2001:db8::2 0 2001:db8::1 129.0 5 520 02:00:00:00:00:02 02:00:00:00:00:01 119 2 1",
            "17 2001:db8::1 40000 2001:db8::2 5001 7 1036 02:00:00:00:00:01 02:00:00:00:00:02 119 1 2",
            "58 2001:db8::1 0 2001:db8::3 128.0 3 312 02:00:00:00:00:01 02:00:00:00:00:03 119 1 3",
            "58 2001:db8::3 0 2001:db8::1 129.0 3 312 02:00:00:00:00:03 02:00:00:00:00:01 119 3 1");
        // the stacks' MLD reports come behind a Hop-by-Hop header: their protocol is the last Next Header (IANA)
        assertThat(dump).as("MLDv2 reports: ICMPv6 type 143, not protocol 0 (Hop-by-Hop)")
            .anyMatch(l -> l.matches("58 \\S+ 0 ff02::16 143\\.0 \\d+ \\d+ 02:00:00:00:00:01 33:33:00:00:00:16"
                + " 119 1 0"))
            .noneMatch(l -> l.matches("0 \\S*:\\S* .*"));

        capture.stop();
        String decoded = collector.exec("tshark", "-n", "-r", capture.file().toString(), "-d", "udp.port==4739,cflow",
            "-V");
        assertThat(decoded).contains("FlowSet Id: (Data) (260)", "FlowSet Id: (Data) (261)");
        assertThat(flowRecords(decoded, "SrcPort: 40000 (40000)")).as("the datagrams, template 260")
            .containsExactly(List.of("SrcAddr: 2001:db8::1", "DstAddr: 2001:db8::2", "Packets: 7", "Octets: 1036"));
        assertThat(flowRecords(decoded, "DstAddr: 2001:db8::3")).as("the echo requests into the tunnel, template 261")
            .containsExactly(List.of("Layer2 Segment Id: " + ((1L << 56) | 119), "SrcAddr: 2001:db8::1",
                "DstAddr: 2001:db8::3", "Packets: 3", "Octets: 312"));
    }

    /** IPv6 on {@code dev} in {@code vm} (off in every lab namespace), with {@code cidr}; no DAD, no solicitations. */
    private static void ipv6(Netns vm, String dev, String cidr) {
        vm.sysctl("net.ipv6.conf.all.disable_ipv6=0");
        vm.sysctl("net.ipv6.conf." + dev + ".router_solicitations=0");
        vm.sysctl("net.ipv6.conf." + dev + ".disable_ipv6=0");
        vm.ip("-6 addr add " + cidr + " dev " + dev + " nodad");
    }

    /** {@code count} datagrams of {@link #DATAGRAM_PAYLOAD} bytes from vm1's port {@code srcPort} to vm2's 5001. */
    private void burst(int srcPort, int count) {
        vm1.exec("python3", "-c", "import socket\n"
            + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            + "s.bind(('10.0.0.1', " + srcPort + "))\n"
            + "for i in range(" + count + "): s.sendto(bytes(" + DATAGRAM_PAYLOAD + "), ('10.0.0.2', 5001))\n");
    }

    /**
     * {@code GET /api/v1/ipfix}, what {@code vxswitch ipfix --json} prints, through curl: polling with the CLI would
     * start a JVM five times a second, which on a loaded 2-CPU machine took longer than its 20 s timeout.
     */
    private JsonNode ipfix() throws IOException {
        return new ObjectMapper().readTree(daemon.get("/api/v1/ipfix"));
    }

    /** Polls until the switch has observed {@code observed} frames and exported every flow (idle for 1 s). */
    private JsonNode awaitExported(long observed) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            JsonNode status = ipfix();
            if (status.path("observed").asLong() >= observed && status.path("cachedFlows").asInt() == 0) {
                return status;
            }
            assertThat(System.nanoTime()).as("observed " + observed + " frames and exported them: " + status)
                .isLessThan(deadline);
            Background.sleep(200);
        }
    }

    /**
     * The flow records tshark decoded ({@code -V}) that have the line {@code with}: of each, its lines about addresses,
     * counts and segment, in order.
     */
    private static List<List<String>> flowRecords(String decoded, String with) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = null;
        for (String line : decoded.lines().map(String::trim).toList()) {
            if (line.matches("Flow \\d+") || line.startsWith("Set ") || line.startsWith("Cisco NetFlow")) {
                if (record != null && record.contains(with)) {
                    records.add(record);
                }
                record = line.startsWith("Flow ") ? new ArrayList<>() : null;
            } else if (record != null) {
                record.add(line);
            }
        }
        if (record != null && record.contains(with)) {
            records.add(record);
        }
        return records.stream().map(r -> r.stream().filter(l -> l.matches("(SrcAddr|DstAddr|Packets|Octets"
            + "|Layer2 Segment Id): .*")).toList()).toList();
    }

    /** Polls {@code vxswitch ipfix --json} until it has sent {@code records} data records and holds no flow. */
    private JsonNode awaitRecords(int records, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode status = ipfix();
            boolean done = status.path("records").asLong() >= records && status.path("cachedFlows").asInt() == 0;
            if (done || System.nanoTime() > deadline) {
                assertThat(status.path("records").asLong()).as(status.toString()).isGreaterThanOrEqualTo(records);
                assertThat(status.path("cachedFlows").asInt()).as("every flow idle for 1 s: exported").isZero();
                return status;
            }
            Background.sleep(200);
        }
    }

    /** Every flow nfcapd wrote, one line each, words separated by one space. */
    private List<String> nfdump() {
        List<Path> files;
        try (Stream<Path> s = Files.list(flows)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("nfcapd.")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(files).as("nfcapd's files in " + flows + lab.diagnostics()).isNotEmpty();
        List<String> out = new ArrayList<>();
        for (Path f : files) {
            collector.exec("nfdump", "-r", f.toString(), "-q", "-N", "-o",
                "fmt:%pr %sa %sp %da %dp %pkt %byt %ismc %idmc %svln %in %out").lines()
                .map(l -> l.trim().replaceAll("\\s+", " ")).filter(l -> !l.isEmpty()).forEach(out::add);
        }
        return out;
    }

    private static void awaitListening(Netns ns, int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!ns.exec("ss", "-lun").contains(":" + port + " ")) {
            assertThat(System.nanoTime()).as("nfcapd listening on UDP " + port).isLessThan(deadline);
            Background.sleep(100);
        }
    }
}
