package io.vxswitch.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LACP against Open vSwitch's bond, the partner the issue names (this kernel has no bonding driver; OVS runs LACP in
 * userspace):
 * <pre>
 *   vm1 10.0.0.1 --tap-- vxswitch (hostA)  lag0 = ul1 + ul2, lacp active, fast, l3l4
 *                                            ul1 &lt;=== veth ===&gt; ul1 \  hostB: Open vSwitch (netdev) br-lag:
 *                                            ul2 &lt;=== veth ===&gt; ul2 /  bond0 (lacp=active, balance-tcp, fast) + vm2
 *                                                                                         vm2 10.0.0.2
 * </pre>
 * Offloads are off on both ends of every veth OVS reads (its AF_PACKET ports take no unfinished checksums).
 */
@Timeout(240)
class LacpIT extends LabIT {
    private static final String VM1_MAC = "02:00:00:00:01:01";
    private static final String VM2_MAC = "02:00:00:00:01:02";

    private Netns hostA;
    private Netns hostB;
    private Ovs ovs;
    private Daemon daemon;
    private Netns vm1;
    private Netns vm2;
    /** hostA's ul1: the LAG's first member, whose MAC is vxswitch's system id. */
    private String systemId;

    @BeforeEach
    void assumeTools() {
        Ovs.assumeInstalled("the LACP partner (an Open vSwitch bond)");
        Tools.assume("the LACP partner", "ethtool", "iperf3");
    }

    /** The picture above, vxswitch's LAG with {@code lacp: vxswitchMode}, OVS's bond with {@code lacp=ovsMode}. */
    private void build(String vxswitchMode, String ovsMode) {
        partner(ovsMode);
        daemon = Daemon.start(lab, hostA, SWITCH + LAG.formatted(vxswitchMode));
        vm1 = lab.vmOnTap("vm1", hostA, "vm1", "10.0.0.1/24", VM1_MAC);
    }

    /** vxswitch's switch and vm1, without the LAG. */
    private static final String SWITCH = """
        switch: {name: lacp}
        portGroups:
          - {name: vms}
          - {name: uplinks, macLearning: {enabled: true}}
        ports:
          - {name: vm1, type: tap, portGroup: vms, mac: "%s"}
        """.formatted(VM1_MAC);
    /** The LAG's ports entry, its mode to fill in. */
    private static final String LAG = """
          - {name: lag0, type: lag, portGroup: uplinks, members: [ul1, ul2], lacp: %s, rate: fast, hash: l3l4}
        """;

    /** Everything of the picture above but vxswitch: the veths, OVS's bond (lacp=ovsMode) and vm2. */
    private void partner(String ovsMode) {
        hostA = lab.netns("hostA");
        hostB = lab.netns("hostB");
        for (String ul : new String[] {"ul1", "ul2"}) {
            lab.veth(hostA, ul, hostB, ul, 1500);
            hostA.offloadsOff(ul);
            hostB.offloadsOff(ul);
        }
        systemId = hostA.mac("ul1");
        ovs = Ovs.start(lab, hostB);
        ovs.vsctl("add-br", "br-lag", "--", "set", "bridge", "br-lag", "datapath_type=netdev");
        // OVS puts a new flow on its active member and moves flows only when it rebalances (every 10 s by default):
        // every second, so that its share of the traffic test below spreads too
        ovs.vsctl("add-bond", "br-lag", "bond0", "ul1", "ul2", "lacp=" + ovsMode, "bond_mode=balance-tcp",
            "other_config:lacp-time=fast", "other_config:bond-rebalance-interval=1000");
        vm2 = lab.vmOnVeth("vm2", hostB, "vm2", "10.0.0.2/24", VM2_MAC, 1500);
        vm2.offloadsOff("eth0");
        hostB.offloadsOff("vm2");
        ovs.vsctl("add-port", "br-lag", "vm2");
    }

    @Test
    void open_vswitch_aggregates_both_members_traffic_spreads_and_a_member_going_down_moves_its_flows() {
        build("active", "active");
        // 1. the aggregation forms with vxswitch's system id, both members current and in sync on both ends
        String lacp = awaitOvsMembers("current attached", "current attached");
        assertThat(lacp).as(lacp).contains("partner sys_id: " + systemId);
        daemon.awaitLog("lag lag0: member ul1 collecting and distributing", Duration.ofSeconds(10));
        daemon.awaitLog("lag lag0: member ul2 collecting and distributing", Duration.ofSeconds(10));
        String ovsSystem = lacp.lines().filter(l -> l.startsWith("  sys_id: ")).findFirst().orElseThrow()
            .substring("  sys_id: ".length());
        JsonNode lag = lag();
        assertThat(lag.path("systemId").asText()).isEqualTo(systemId);
        assertThat(lag.path("partner").path("systemId").asText()).isEqualTo(ovsSystem);
        for (JsonNode m : lag.path("members")) {
            assertThat(m.path("status").asText()).as(m.toString()).isEqualTo("current distributing");
            assertThat(m.path("partner").path("flags").toString()).as(m.toString()).contains("synchronized")
                .contains("distributing");
        }
        String ports = daemon.cli("ports");
        assertThat(ports).as(ports).contains("LAG lag0 (lacp active, fast, hash l3l4): system " + systemId)
            .containsPattern("ul1 +up +current distributing +activity timeout aggregation synchronized collecting"
                + " distributing +" + ovsSystem + " key 1 port \\d");
        assertThat(daemon.cli("lacp", "show")).contains("partner sys_id: " + ovsSystem);
        assertThat(daemon.metric("vxswitch_lag_distributing_members{lag=\"lag0\"}")).isEqualTo(2.0);

        // 2. ping crosses the LAG once each way: no DUP!
        assertThat(vm1.pingsWithin("10.0.0.2", Duration.ofSeconds(10))).as(diagnostics()).isTrue();
        Ping ping = vm1.ping("10.0.0.2", 10, 2);
        assertThat(ping.allAnsweredOnce()).as(ping + diagnostics()).isTrue();

        // 3. sixteen TCP flows from vm2 to vm1 for 6 s: vxswitch's l3l4 hash sends their acknowledgements over both
        // members, OVS's rebalancing its data
        sixteenTcpFlowsSpreadOverBothMembers();
        // vxswitch's own per-member counts say the same (in copies: a TCP super-frame from the tap is one copy,
        // cut into segments for the wire, which the kernel counts)
        JsonNode counted = lag().path("members");
        long copies1 = counted.get(0).path("counters").path("txFrames").asLong();
        long copies2 = counted.get(1).path("counters").path("txFrames").asLong();
        assertThat(Math.min(copies1, copies2)).as("copies on ul1 %d, on ul2 %d", copies1, copies2)
            .isGreaterThan((copies1 + copies2) / 10);
        // OVS's balance-tcp sends vm2's frames over both members too: one MAC on two members, learned once on lag0
        // and never moved
        long heard1 = counted.get(0).path("counters").path("rxFrames").asLong();
        long heard2 = counted.get(1).path("counters").path("rxFrames").asLong();
        assertThat(Math.min(heard1, heard2)).as("frames from OVS on ul1 %d, on ul2 %d", heard1, heard2).isPositive();
        JsonNode vm2Row = fdbRow(VM2_MAC);
        assertThat(vm2Row.path("port").asText()).as(vm2Row.toString()).isEqualTo("lag0");
        assertThat(vm2Row.path("moves").asInt()).as(vm2Row.toString()).isZero();

        // 4. the partner takes one member down: its flows move within 3 s, the session stays up on the other
        CompletableFuture<Ping> during = CompletableFuture.supplyAsync(() -> vm1.pingEvery("10.0.0.2", 60, "0.1"));
        daemonSees("ul1", () -> hostB.ip("link set ul1 down"));
        Ping failover = during.join();
        assertThat(failover.received()).as("at most 3 s of 6 lost: " + failover + diagnostics())
            .isGreaterThanOrEqualTo(30);
        assertThat(failover.duplicates()).as(failover.toString()).isZero();
        awaitOvsMembers(null, "current attached");
        assertThat(vm1.ping("10.0.0.2").allAnsweredOnce()).as(diagnostics()).isTrue();
        JsonNode down = lag().path("members");
        assertThat(down.get(0).path("status").asText()).isEqualTo("link down detached");
        assertThat(down.get(1).path("status").asText()).isEqualTo("current distributing");

        // 5. back up, it rejoins
        hostB.ip("link set ul1 up");
        awaitOvsMembers("current attached", "current attached");
        daemon.awaitLog("(?s).*link down.*member ul1 collecting and distributing", Duration.ofSeconds(10));
        // OVS's LACP says in sync on ul1 a moment before its bond enables the member (it follows the link's carrier
        // on a timer of its own): a frame vxswitch hashes onto ul1 in that moment is dropped by OVS (seen once
        // in about ten runs: the first ping after the rejoin), so the test waits for OVS's bond too.
        Poll.until("OVS bond0 enables ul1", Duration.ofSeconds(10), () -> ovs.appctl("bond/show", "bond0").out(),
            out -> out.contains("member ul1: enabled"), this::diagnostics);
        assertThat(vm1.pingsWithin("10.0.0.2", Duration.ofSeconds(5))).as(diagnostics()).isTrue();
        Ping after = vm1.ping("10.0.0.2", 5, 2);
        assertThat(after.allAnsweredOnce()).as(after + diagnostics()).isTrue();
    }

    @Test
    void two_passive_ends_never_aggregate_and_a_passive_vxswitch_answers_once_open_vswitch_speaks() {
        build("passive", "passive");
        // no LACPDU either way: vxswitch's members go from expired to defaulted (3 s), and say nothing
        Poll.until("vxswitch's members defaulted", Duration.ofSeconds(15), () -> lag().toString(),
            out -> out.split("\"receive\":\"defaulted\"", -1).length == 3, this::diagnostics);
        for (JsonNode m : lag().path("members")) {
            assertThat(m.path("counters").path("lacpdusTx").asLong()).as(m.toString()).isZero();
            assertThat(m.path("status").asText()).isEqualTo("defaulted detached");
        }
        String ovsSide = ovs.appctl("lacp/show", "bond0").out();
        assertThat(ovsSide).as(ovsSide).contains("member: ul1: defaulted detached")
            .contains("member: ul2: defaulted detached");
        assertThat(vm1.ping("10.0.0.2", 1, 1).received()).as("no LAG, no path").isZero();

        ovs.vsctl("set", "port", "bond0", "lacp=active");
        String lacp = awaitOvsMembers("current attached", "current attached");
        assertThat(lacp).contains("partner sys_id: " + systemId);
        daemon.awaitLog("lag lag0: member ul2 collecting and distributing", Duration.ofSeconds(10));
        for (JsonNode m : lag().path("members")) {
            assertThat(m.path("actor").path("flags").toString()).as("passive: no activity flag")
                .doesNotContain("activity").contains("distributing");
        }
        assertThat(vm1.pingsWithin("10.0.0.2", Duration.ofSeconds(10))).as(diagnostics()).isTrue();
        Ping ping = vm1.ping("10.0.0.2", 5, 2);
        assertThat(ping.allAnsweredOnce()).as(ping + diagnostics()).isTrue();
    }

    /**
     * 802.1AX's Marker protocol, which Open vSwitch does not speak: scapy, on the OVS end of ul1, sends a Marker PDU
     * as a partner's Marker Generator would (its own transaction id) and sees vxswitch's Marker Response come back on
     * the same link, from ul1's MAC, with the requester's port, system and transaction id unchanged; then a flood of
     * 40 Markers in half a second is answered at most twice (with LACP's LACPDUs, the Slow Protocols' 5 frames a
     * second), the rest counted. The aggregation stays up throughout.
     */
    @Test
    void a_marker_on_a_member_is_answered_with_its_transaction_id_and_a_flood_only_within_the_slow_protocols_rate() {
        String python = Scapy.python("the Marker PDUs");
        build("active", "active");
        awaitOvsMembers("current attached", "current attached");
        daemon.awaitLog("lag lag0: member ul2 collecting and distributing", Duration.ofSeconds(10));
        String hostBMac = hostB.mac("ul1");

        // 1. one Marker: one Marker Response with the same transaction id
        String one = hostB.run(Duration.ofSeconds(30), python, "-c", MARKERS, "ul1", hostBMac, "7", "1", "0x5eed0001",
            "0").out();
        assertThat(one).as(one + diagnostics()).contains("response src=" + systemId + " type=2 port=7 system="
            + hostBMac + " transaction=0x5eed0001").contains("responses 1");
        JsonNode ul1 = lag().path("members").get(0);
        assertThat(ul1.path("counters").path("markersAnswered").asLong()).as(ul1.toString()).isEqualTo(1);
        assertThat(ul1.path("counters").path("markersMalformed").asLong()).isZero();
        assertThat(daemon.cli("lacp", "show", "lag0")).contains("markers: answered 1, malformed 0, over the rate 0");

        // 2. a flood, a second later: 40 Markers in 0.4 s, at most two answered, the rest counted as over the rate
        Background.sleep(1100);
        String flood = hostB.run(Duration.ofSeconds(30), python, "-c", MARKERS, "ul1", hostBMac, "7", "40",
            "0x10000", "0.01").out();
        int responses = Integer.parseInt(flood.lines().filter(l -> l.startsWith("responses ")).findFirst()
            .orElseThrow(() -> new AssertionError(flood)).substring("responses ".length()).trim());
        assertThat(responses).as(flood).isBetween(1, 2);
        Poll.until("the flood counted", Duration.ofSeconds(5), () -> lag().path("members").get(0).toString(),
            m -> m.contains("\"markersRateLimited\":" + (40 - responses) + ","), this::diagnostics);
        JsonNode counted = lag().path("members").get(0).path("counters");
        assertThat(counted.path("markersAnswered").asLong()).as(counted.toString()).isEqualTo(1 + responses);
        assertThat(daemon.metric("vxswitch_lacp_pdu_drops_total{lag=\"lag0\",member=\"ul1\",reason=\"marker_rate_limited\"}"))
            .isEqualTo(40.0 - responses);
        assertThat(daemon.metric("vxswitch_lacp_marker_responses_total{lag=\"lag0\",member=\"ul1\"}"))
            .isEqualTo(1.0 + responses);

        // 3. a malformed Marker (TLV length 20) is counted by name and not answered; LACP never noticed any of it
        String bad = hostB.run(Duration.ofSeconds(30), python, "-c", MARKERS, "ul1", hostBMac, "7", "1", "0x5eed0002",
            "0", "20").out();
        assertThat(bad).as(bad).contains("responses 0");
        Poll.until("the malformed Marker counted", Duration.ofSeconds(5), () -> lag().path("members").get(0).toString(),
            m -> m.contains("\"markersMalformed\":1,"), this::diagnostics);
        assertThat(daemon.metric("vxswitch_lacp_pdu_drops_total{lag=\"lag0\",member=\"ul1\",reason=\"marker_malformed\"}"))
            .isEqualTo(1.0);
        assertThat(ovs.appctl("lacp/show", "bond0").out()).contains("member: ul1: current attached")
            .contains("member: ul2: current attached");
        for (JsonNode m : lag().path("members")) {
            assertThat(m.path("status").asText()).as(m.toString()).isEqualTo("current distributing");
        }
    }

    /**
     * {@code switch.loops: 2}: each loop reads its own fanout share of each member and sends on its own sockets, the
     * member set one distribution for both. The aggregation forms as with one loop; TCP flows spread over both
     * members both ways; vm2's MAC, arriving on both members and in both loops, is learned once on lag0 and never
     * moves; a ping crosses once; and the counts per member add up the two loops' ports.
     */
    @Test
    void with_two_forwarding_loops_the_lag_spreads_flows_and_learns_each_mac_once() {
        partner("active");
        daemon = Daemon.start(lab, hostA, SWITCH.replace("switch: {name: lacp}", "switch: {name: lacp, loops: 2}")
            + LAG.formatted("active"));
        vm1 = lab.vmOnTap("vm1", hostA, "vm1", "10.0.0.1/24", VM1_MAC);
        assertThat(daemon.output()).contains("2 forwarding loops");
        String lacp = awaitOvsMembers("current attached", "current attached");
        assertThat(lacp).as(lacp).contains("partner sys_id: " + systemId);
        daemon.awaitLog("lag lag0: member ul2 collecting and distributing", Duration.ofSeconds(10));
        assertThat(vm1.pingsWithin("10.0.0.2", Duration.ofSeconds(10))).as(diagnostics()).isTrue();
        Ping ping = vm1.ping("10.0.0.2", 10, 2);
        assertThat(ping.allAnsweredOnce()).as(ping + diagnostics()).isTrue();

        sixteenTcpFlowsSpreadOverBothMembers();
        JsonNode counted = lag().path("members");
        long heard1 = counted.get(0).path("counters").path("rxFrames").asLong();
        long heard2 = counted.get(1).path("counters").path("rxFrames").asLong();
        assertThat(Math.min(heard1, heard2)).as("frames from OVS on ul1 %d, on ul2 %d", heard1, heard2).isPositive();
        long copies = counted.get(0).path("counters").path("txFrames").asLong()
            + counted.get(1).path("counters").path("txFrames").asLong();
        assertThat(copies).as("copies the two loops sent on the members").isPositive();
        JsonNode vm2Row = fdbRow(VM2_MAC);
        assertThat(vm2Row.path("port").asText()).as(vm2Row.toString()).isEqualTo("lag0");
        assertThat(vm2Row.path("moves").asInt()).as(vm2Row.toString()).isZero();
        Ping after = vm1.ping("10.0.0.2", 5, 2);
        assertThat(after.allAnsweredOnce()).as(after + diagnostics()).isTrue();
        for (JsonNode m : lag().path("members")) {
            assertThat(m.path("status").asText()).as(m.toString()).isEqualTo("current distributing");
        }
    }

    /**
     * A LAG at run time, as an operator adds one to a running host: a reload that adds lag0 to the file starts its
     * LACP and the aggregation forms with OVS's bond; a reload that changes only its rate and hash changes them in
     * place (no member stops carrying traffic, OVS hears the new rate); a reload that removes it tells OVS it leaves,
     * flushes what was learned on it, and leaves no socket, descriptor or thread behind. Then the same through
     * {@code vxswitch ports add} and {@code ports del}.
     */
    @Test
    void a_lag_added_by_reload_aggregates_changes_in_place_and_once_removed_leaves_nothing_behind() throws Exception {
        partner("active");
        daemon = Daemon.start(lab, hostA, SWITCH);
        vm1 = lab.vmOnTap("vm1", hostA, "vm1", "10.0.0.1/24", VM1_MAC);
        String api = java.nio.file.Files.readString(daemon.configFile()).substring(SWITCH.length());
        assertThat(json(daemon.cli("lacp", "show", "--json"))).as("no LAG").isEmpty();
        Footprint before = Footprint.of(daemon);
        assertThat(before.lacpThread()).as(before.toString()).isFalse();

        // 1. added by a reload: LACP starts, the aggregation forms, traffic crosses
        java.nio.file.Files.writeString(daemon.configFile(), SWITCH + LAG.formatted("active") + api);
        assertThat(daemon.cli("config", "reload")).contains("added port lag0").contains("LACP started");
        String lacp = awaitOvsMembers("current attached", "current attached");
        assertThat(lacp).as(lacp).contains("partner sys_id: " + systemId);
        daemon.awaitLog("lag lag0: member ul2 collecting and distributing", Duration.ofSeconds(10));
        assertThat(vm1.pingsWithin("10.0.0.2", Duration.ofSeconds(10))).as(diagnostics()).isTrue();
        assertThat(vm1.ping("10.0.0.2", 3, 2).allAnsweredOnce()).as(diagnostics()).isTrue();
        Footprint with = Footprint.of(daemon);
        assertThat(with.lacpThread()).as(with.toString()).isTrue();
        assertThat(with.packetSockets()).as("a data and a Slow Protocols socket per member")
            .isEqualTo(before.packetSockets() + 4);

        // 2. its rate and hash changed by a reload: in place, the aggregation kept
        java.nio.file.Files.writeString(daemon.configFile(), SWITCH + LAG.formatted("active")
            .replace("rate: fast, hash: l3l4", "rate: slow, hash: l2") + api);
        assertThat(daemon.cli("config", "reload")).contains("LAG lag0: lacp active, rate slow, hash l2, system "
            + systemId + " priority 32768, key 2 (in place, its members kept)");
        JsonNode changed = lag();
        assertThat(changed.path("rate").asText()).isEqualTo("slow");
        assertThat(changed.path("hash").asText()).isEqualTo("l2");
        Poll.until("OVS hears vxswitch ask for slow LACPDUs", Duration.ofSeconds(10),
            () -> ovs.appctl("lacp/show", "bond0").out(),
            out -> out.contains("partner state: activity aggregation synchronized collecting distributing"),
            this::diagnostics);
        assertThat(daemon.output()).as("no member stopped carrying traffic").doesNotContain("no longer carries");
        for (JsonNode m : lag().path("members")) {
            assertThat(m.path("status").asText()).as(m.toString()).isEqualTo("current distributing");
        }
        assertThat(vm1.ping("10.0.0.2", 3, 2).allAnsweredOnce()).as(diagnostics()).isTrue();
        assertThat(fdbRow(VM2_MAC).path("port").asText()).isEqualTo("lag0");

        // 3. removed by a reload: OVS is told, the MACs learned on it go, and so do its sockets and the LACP thread
        java.nio.file.Files.writeString(daemon.configFile(), SWITCH + api);
        assertThat(daemon.cli("config", "reload")).contains("removed port lag0");
        awaitOvsMembersGone();
        assertThat(json(daemon.cli("lacp", "show", "--json"))).as("no LAG").isEmpty();
        assertThat(daemon.cli("fdb", "show")).doesNotContain(VM2_MAC);
        assertThat(vm1.ping("10.0.0.2", 1, 1).received()).as("no LAG, no path").isZero();
        Footprint.await(daemon, before, this::diagnostics);

        // 4. the same through the CLI: ports add starts its LACP, ports del stops it
        assertThat(daemon.cli("ports", "add", "lag0", "--type", "lag", "--members", "ul1,ul2", "--port-group",
            "uplinks", "--lacp", "active", "--rate", "fast")).contains("added port lag0").contains("LACP started");
        awaitOvsMembers("current attached", "current attached");
        assertThat(vm1.pingsWithin("10.0.0.2", Duration.ofSeconds(10))).as(diagnostics()).isTrue();
        assertThat(daemon.cli("ports")).contains("LAG lag0 (lacp active, fast, hash l3l4)");
        assertThat(daemon.cli("ports", "del", "lag0")).contains("removed port lag0");
        awaitOvsMembersGone();
        Footprint.await(daemon, before, this::diagnostics);
    }

    /** What a LAG holds in the daemon: AF_PACKET sockets in its namespace, descriptors, the LACP agent's thread. */
    private record Footprint(int packetSockets, int descriptors, boolean lacpThread) {
        static Footprint of(Daemon daemon) {
            java.nio.file.Path proc = java.nio.file.Path.of("/proc", Long.toString(daemon.pid()));
            try (var fds = java.nio.file.Files.list(proc.resolve("fd"));
                 var tasks = java.nio.file.Files.list(proc.resolve("task"))) {
                int sockets = (int) java.nio.file.Files.readAllLines(proc.resolve("net/packet")).stream().skip(1)
                    .count();
                boolean lacp = false;
                for (java.nio.file.Path t : tasks.toList()) {
                    try {
                        lacp |= java.nio.file.Files.readString(t.resolve("comm")).trim().equals("vxswitch-lacp");
                    } catch (java.io.IOException gone) {
                        // a thread that ended while listed
                    }
                }
                return new Footprint(sockets, (int) fds.count(), lacp);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Waits until the daemon holds no more than {@code before} (its API connections may linger a moment). */
        static void await(Daemon daemon, Footprint before, java.util.function.Supplier<String> diagnostics) {
            Poll.until("back to the footprint before the LAG: " + before, Duration.ofSeconds(10),
                () -> of(daemon).toString(), now -> {
                    Footprint f = of(daemon);
                    return !f.lacpThread() && f.packetSockets() == before.packetSockets()
                        && f.descriptors() <= before.descriptors();
                }, diagnostics);
        }
    }

    /**
     * Sends {@code count} Marker PDUs out of {@code dev} (from {@code mac}: requester port, system = that MAC,
     * transaction ids from {@code first} up, {@code interval} s apart, TLV length {@code [length]}, 16 if not given),
     * on a socket that listens on {@code dev} from before the first; prints each Marker Response heard within 1.5 s
     * of the last sent, and how many. No sniffer thread: a select with a deadline, so it always ends.
     */
    private static final String MARKERS = """
        import select, sys, time
        from scapy.all import Ether, conf
        from scapy.contrib.lacp import SlowProtocol, MarkerProtocol
        dev, mac, port, count, first, interval = sys.argv[1:7]
        length = int(sys.argv[7]) if len(sys.argv) > 7 else 16
        sock = conf.L2socket(iface=dev)  # one AF_PACKET socket, open before the first Marker leaves: no answer missed
        for i in range(int(count)):
            sock.send(Ether(src=mac, dst="01:80:c2:00:00:02") / SlowProtocol()
                      / MarkerProtocol(marker_type=1, marker_length=length, requester_port=int(port),
                                       requester_system=mac, requester_transaction_id=int(first, 0) + i))
            time.sleep(float(interval))
        responses = []
        deadline = time.monotonic() + 1.5
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([sock], [], [], left)[0]:
                break
            p = sock.recv()
            if p is not None and p.haslayer(MarkerProtocol) and p[MarkerProtocol].marker_type == 2:
                responses.append(p)
        sock.close()
        for p in responses:
            m = p[MarkerProtocol]
            print("response src=%s type=%d port=%d system=%s transaction=0x%08x" % (p.src, m.marker_type,
                  m.requester_port, m.requester_system, m.requester_transaction_id))
        print("responses %d" % len(responses))
        """;

    /** {@code MAC}'s row in {@code vxswitch fdb show --json}. */
    /**
     * Sixteen TCP flows from vm2 to vm1 for 6 s: vxswitch sends at least a tenth of its frames (the acknowledgements,
     * by its l3l4 hash) on each member, as the kernel counts them on ul1 and ul2.
     */
    private void sixteenTcpFlowsSpreadOverBothMembers() {
        LinkCounters ul1 = LinkCounters.of(hostA, "ul1");
        LinkCounters ul2 = LinkCounters.of(hostA, "ul2");
        Iperf.Result r = Iperf.tcp(lab, vm1, "10.0.0.1", vm2, 6, 16);
        assertThat(r.mbps()).as(r.output()).isPositive();
        long sent1 = LinkCounters.of(hostA, "ul1").since(ul1).txPackets();
        long sent2 = LinkCounters.of(hostA, "ul2").since(ul2).txPackets();
        assertThat(Math.min(sent1, sent2)).as("frames vxswitch sent on ul1 %d, on ul2 %d", sent1, sent2)
            .isGreaterThan((sent1 + sent2) / 10);
    }

    private JsonNode fdbRow(String mac) {
        try {
            for (JsonNode row : new ObjectMapper().readTree(daemon.cli("fdb", "show", "--json"))) {
                if (row.path("mac").asText().equalsIgnoreCase(mac)) {
                    return row;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("no FDB row for " + mac + diagnostics());
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code vxswitch lacp show lag0 --json}. */
    private JsonNode lag() {
        try {
            return new ObjectMapper().readTree(daemon.cli("lacp", "show", "lag0", "--json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs {@code change} and waits for the daemon to say member {@code member} no longer carries traffic. */
    private void daemonSees(String member, Runnable change) {
        change.run();
        daemon.awaitLog("lag lag0: member " + member + " no longer carries traffic", Duration.ofSeconds(5));
    }

    /**
     * Waits until OVS's {@code lacp/show bond0} shows ul1 and ul2 with these states ("current attached"; null: any)
     * and returns it.
     */
    private String awaitOvsMembers(String ul1, String ul2) {
        return Poll.until("OVS bond0: ul1 " + ul1 + ", ul2 " + ul2, Duration.ofSeconds(30),
            () -> ovs.appctl("lacp/show", "bond0").out(),
            out -> (ul1 == null || out.contains("member: ul1: " + ul1)) && (ul2 == null
                || out.contains("member: ul2: " + ul2)), this::diagnostics);
    }

    /**
     * Waits until OVS's bond no longer hears vxswitch on either member (vxswitch's last LACPDU said it leaves; OVS
     * lets the members expire after its timeout, 3 s at fast) and no member of OVS's carries traffic to it.
     */
    private void awaitOvsMembersGone() {
        Poll.until("OVS bond0: neither member current", Duration.ofSeconds(20),
            () -> ovs.appctl("lacp/show", "bond0").out(),
            out -> !out.contains("member: ul1: current") && !out.contains("member: ul2: current"), this::diagnostics);
    }

    private String diagnostics() {
        return "\nvxswitch:\n" + daemon.output() + lab.diagnostics() + "\nlacp/show:\n"
            + ovs.appctl("lacp/show", "bond0").out() + "\nbond/show:\n" + ovs.appctl("bond/show", "bond0").out()
            + ovs.state("br-lag");
    }
}
