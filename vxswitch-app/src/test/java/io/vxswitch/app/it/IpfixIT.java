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
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IPFIX flow export to real collectors: nfcapd (Debian's nfdump) and tshark's IPFIX dissector in a namespace of
 * their own, reached over an underlay veth from the switch's namespace.
 * <pre>
 *   vm1 10.0.0.1 --tap--+                              collector namespace
 *                       | vxswitch (host) ul0 192.0.2.1 ---veth--- ul0 192.0.2.2: nfcapd on 4739, tshark
 *   vm2 10.0.0.2 --tap--+
 * </pre>
 * vm1 pings vm2 five times and sends seven UDP datagrams from port 40000 to port 5001; with an idle timeout of 1 s
 * the flows are exported within seconds, and the collectors must show each with its packet and byte counts,
 * addresses, ports and MACs. Namespaces are {@code ipx-<random>-<role>}.
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
        ipfix:
          collectors: [192.0.2.2:4739]
          observationDomain: 119
          activeTimeout: 30s
          idleTimeout: 1s
        """;
    private static final int PINGS = 5;
    private static final int DATAGRAMS = 7;
    private static final int DATAGRAM_PAYLOAD = 100;

    private Lab lab;
    private Daemon daemon;
    private Netns collector;
    private Netns vm1;
    private Path flows;
    private Background nfcapd;
    private Capture capture;

    @BeforeEach
    void build() throws IOException {
        lab = Lab.open("ipx-");
        Tools.assume("the IPFIX collector checks", "nfcapd", "nfdump", "tshark", "python3");
        Netns host = lab.netns("host");
        collector = lab.netns("col");
        lab.veth(host, "ul0", collector, "ul0", 1500);
        host.ip("addr add 192.0.2.1/24 dev ul0");
        collector.ip("addr add 192.0.2.2/24 dev ul0");
        flows = Files.createDirectories(lab.dir().resolve("flows"));
        nfcapd = lab.spawn("nfcapd", collector, "nfcapd", "-w", flows.toString(), "-b", "192.0.2.2", "-p", "4739",
            "-t", "3600");
        awaitListening(collector, 4739);
        capture = Capture.tshark(lab, collector, "ul0", "udp port 4739");
        daemon = Daemon.start(lab, host, CONFIG);
        assertThat(daemon.output()).contains("ipfix export to collectors [192.0.2.2:4739], observation domain 119,"
            + " sampling 1 in 1, active timeout 30 s, idle timeout 1 s");
        vm1 = lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", "02:00:00:00:00:01");
        lab.vmOnTap("vm2", host, "vm2", "10.0.0.2/24", "02:00:00:00:00:02");
    }

    @AfterEach
    void cleanUp() {
        if (lab != null) {
            lab.close(); // the daemon, nfcapd, tshark and every ipx- namespace, also after a failure
        }
    }

    @Test
    void nfcapd_and_tshark_receive_the_pings_and_datagrams_as_flows_with_their_counts() throws Exception {
        Ping ping = vm1.ping("10.0.0.2", PINGS, 2);
        assertThat(ping.received()).as(ping.toString()).isEqualTo(PINGS);
        vm1.exec("python3", "-c", "import socket\n"
            + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            + "s.bind(('10.0.0.1', 40000))\n"
            + "for i in range(" + DATAGRAMS + "): s.sendto(bytes(" + DATAGRAM_PAYLOAD + "), ('10.0.0.2', 5001))\n");

        JsonNode status = awaitRecords(3, Duration.ofSeconds(15)); // echo requests, replies, datagrams (and ARP)
        System.out.println("[IpfixIT] vxswitch ipfix:\n" + daemon.cli("ipfix"));
        assertThat(status.path("ringFullDrops").asLong()).isZero();
        assertThat(status.path("sendErrors").asLong()).isZero();

        nfcapd.stop("TERM", Duration.ofSeconds(10)); // it writes its file out on SIGTERM
        String dump = nfdump();
        System.out.println("[IpfixIT] nfdump:\n" + dump);
        String tshark = capture.stop();
        String decoded = collector.exec("tshark", "-n", "-r", capture.file().toString(), "-d", "udp.port==4739,cflow",
            "-V");
        System.out.println("[IpfixIT] tshark: " + decoded.length() + " characters of dissection");
        assertThat(decoded).as(tshark).contains("Version: 10");
    }

    /** Polls {@code vxswitch ipfix --json} until it has sent {@code records} data records. */
    private JsonNode awaitRecords(int records, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode status = new ObjectMapper().readTree(daemon.cli("ipfix", "--json"));
            if (status.path("records").asLong() >= records || System.nanoTime() > deadline) {
                assertThat(status.path("records").asLong()).as(status.toString()).isGreaterThanOrEqualTo(records);
                return status;
            }
            Background.sleep(200);
        }
    }

    /** Every flow nfcapd wrote, one line each: protocol, addresses, ports, packets, bytes, MACs. */
    private String nfdump() {
        List<Path> files;
        try (Stream<Path> s = Files.list(flows)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("nfcapd.")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(files).as("nfcapd's files in " + flows + lab.diagnostics()).isNotEmpty();
        StringBuilder out = new StringBuilder();
        for (Path f : files) {
            out.append(collector.exec("nfdump", "-r", f.toString(), "-q", "-N", "-o",
                "fmt:%pr %sa %sp %da %dp %pkt %byt %ismc %odmc %in %out"));
        }
        return out.toString();
    }

    private static void awaitListening(Netns ns, int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!ns.exec("ss", "-lun").contains(":" + port + " ")) {
            assertThat(System.nanoTime()).as("nfcapd listening on UDP " + port).isLessThan(deadline);
            Background.sleep(100);
        }
    }
}
