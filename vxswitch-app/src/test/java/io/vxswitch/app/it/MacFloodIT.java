package io.vxswitch.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A guest floods its vNIC port with frames from 100,000 distinct source MACs (trafgen; bench/mac-flood.sh sends
 * 10^6 and measures) while two other VMs ping each other and a third stays quiet:
 * <pre>
 *   [vm1 10.0.0.1]--tap vm1---+
 *   [vm2 10.0.0.2]--tap vm2---+-- vxswitch (namespace host), VLAN 0: vm1-3 in port group lan (learning),
 *   [quiet 10.0.0.3]--tap quiet-+                                      guest in port group guest (learning, a limit)
 *   [guest, trafgen]--tap guest-+
 * </pre>
 * The three VMs' MACs are learned (no {@code mac:} in the config), so the flood could evict them if eviction were
 * unfair; the quiet VM sends nothing during the flood, so only fairness, not recent use, keeps its MAC.
 * Checked: the MAC table keeps within the port's limit and the table's capacity, the VMs' MACs stay on their ports,
 * the heap after a full GC stays where it was, and no ping between vm1 and vm2 is lost.
 */
@Timeout(150)
class MacFloodIT extends LabIT {
    private static final int MACS = 100_000;
    private static final String VM1 = "02:00:00:00:00:01";
    private static final String VM2 = "02:00:00:00:00:02";
    private static final String QUIET = "02:00:00:00:00:03";
    /** Heap growth after a full GC that would mean the switch keeps something per flooded MAC (8 B/MAC and up). */
    private static final long HEAP_GROWTH_LIMIT_KIB = 800;

    @Test
    void a_flood_beyond_the_ports_mac_limit_is_dropped_and_nothing_else_changes() {
        Flooded f = flood(8192, 1000);

        assertThat(f.learned.get("guest")).as("MACs learned on the flooding port: its limit").isEqualTo(1000);
        assertThat(f.macLimitDrops).as("frames from MACs beyond the limit, dropped (limitPolicy drop)")
            .isEqualTo(MACS - 1000);
        assertThat(f.evicted).as("nothing evicted: the table never filled").isZero();
    }

    @Test
    void a_flood_into_a_full_table_evicts_only_the_flooding_ports_own_macs() {
        Flooded f = flood(1024, 4096);

        assertThat(f.fdbSize).as("entries: the table's capacity").isEqualTo(1024);
        assertThat(f.learned.get("guest")).as("the flooder holds what the VMs leave").isEqualTo(1024 - 3);
        assertThat(f.evicted).as("every flooded MAC beyond the room made its own room").isEqualTo(MACS - (1024 - 3));
        assertThat(f.macLimitDrops).as("below its limit, nothing dropped").isZero();
    }

    /** What a flood left behind. */
    private record Flooded(int fdbSize, Map<String, Integer> learned, long evicted, long macLimitDrops) {
    }

    /**
     * Starts the switch (table of {@code capacity}, the guest's port group limited to {@code limit} MACs with
     * limitPolicy drop), learns the VMs' MACs, floods, and checks what both cases share: every frame reached the
     * switch, the VMs' MACs are where they were, no ping was lost, the heap did not grow.
     */
    private Flooded flood(int capacity, int limit) {
        Netns host = lab.netns("host");
        Daemon daemon = Daemon.start(lab, host, """
            switch: {name: it-flood, fdbCapacity: %d}
            portGroups:
              - {name: lan, vlan: 0, security: {forgedTransmits: accept}, macLearning: {enabled: true}}
              - name: guest
                vlan: 0
                security: {forgedTransmits: accept}
                macLearning: {enabled: true, limit: %d, limitPolicy: drop}
            ports:
              - {name: vm1, type: tap, portGroup: lan}
              - {name: vm2, type: tap, portGroup: lan}
              - {name: quiet, type: tap, portGroup: lan}
              - {name: guest, type: tap, portGroup: guest}
            """.formatted(capacity, limit));
        Netns vm1 = lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", VM1);
        lab.vmOnTap("vm2", host, "vm2", "10.0.0.2/24", VM2);
        lab.vmOnTap("quiet", host, "quiet", "10.0.0.3/24", QUIET);
        Netns guest = lab.vmOnTap("guest", host, "guest", null, "02:00:00:00:00:0f");
        assertThat(vm1.ping("10.0.0.2").allAnsweredOnce()).isTrue();
        assertThat(vm1.ping("10.0.0.3").allAnsweredOnce()).isTrue();
        Table.of(daemon).assertVmMacsOnTheirPorts();
        JvmMemory before = JvmMemory.of(daemon.pid());

        long[] echoesBefore = vm1.echoes();
        Trafgen flood = Trafgen.macFlood(lab, guest, "guest", MACS, MACS);
        do { // rounds of 100 pings until the flood is over
            vm1.pingEvery("10.0.0.2", 100, "0.01");
        } while (flood.isRunning());
        long sent = flood.awaitSent(Duration.ofSeconds(30));
        long transmitted = vm1.echoes()[0] - echoesBefore[0];
        long received = 0;
        for (int i = 0; i < 50 && received < transmitted; i++) { // replies still on their way, however late
            Background.sleep(200);
            received = vm1.echoes()[1] - echoesBefore[1];
        }

        JvmMemory after = JvmMemory.of(daemon.pid());
        JsonNode guestStats = daemon.portStats("guest");
        long fromGuest = guestStats.path("rxFrames").asLong();
        long evicted = (long) daemon.metric("vxswitch_fdb_evicted_total");
        Table table = Table.of(daemon);
        System.out.printf("flood of %d MACs: %d frames sent, %d received by the switch; echo replies %d/%d; %s;"
            + " memory before %s, after %s%n", MACS, sent, fromGuest, received, transmitted, table.perPort, before, after);

        assertThat(sent).isEqualTo(MACS);
        assertThat(fromGuest).as("every flood frame reached the switch (the tap holds back, it does not drop)")
            .isEqualTo(MACS);
        assertThat(transmitted).as("pings during the flood").isGreaterThanOrEqualTo(100);
        assertThat(received).as("echo replies to vm1's pings during the flood, of " + transmitted + lab.diagnostics())
            .isEqualTo(transmitted);
        table.assertVmMacsOnTheirPorts();
        assertThat(table.size()).as("entries in the table").isLessThanOrEqualTo(capacity);
        assertThat(after.heapAfterGcKib() - before.heapAfterGcKib())
            .as("heap growth after a full GC (%s before, %s after)", before, after)
            .isLessThan(HEAP_GROWTH_LIMIT_KIB);
        assertThat(daemon.stop()).doesNotContain("Exception");
        return new Flooded(table.size(), table.perPort, evicted, guestStats.path("drops").path("mac_limit").asLong());
    }

    /** The MAC table ({@code fdb show}): where each MAC is, and how many entries each port holds. */
    private record Table(Map<String, String> portOf, Map<String, Integer> perPort) {
        static Table of(Daemon daemon) {
            Map<String, String> portOf = new HashMap<>();
            Map<String, Integer> perPort = new TreeMap<>();
            for (JsonNode row : json(daemon.cli("fdb", "show", "--json"))) {
                String port = row.path("port").asText();
                portOf.merge(row.path("mac").asText(), port, (a, b) -> a + "," + b);
                perPort.merge(port, 1, Integer::sum);
            }
            return new Table(portOf, perPort);
        }

        int size() {
            return perPort.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** vm1, vm2 and the quiet VM: each MAC learned on its own port, and nowhere else. */
        void assertVmMacsOnTheirPorts() {
            assertThat(portOf).as("the VMs' MACs").containsEntry(VM1, "vm1").containsEntry(VM2, "vm2")
                .containsEntry(QUIET, "quiet");
        }
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
