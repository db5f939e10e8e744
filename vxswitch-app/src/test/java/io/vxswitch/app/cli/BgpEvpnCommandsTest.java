package io.vxswitch.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vxswitch.evpn.NeighborView;
import io.vxswitch.evpn.RouteView;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.mgmt.ApiOptions;
import io.vxswitch.mgmt.ApiServer;
import io.vxswitch.mgmt.CaptureSession;
import io.vxswitch.mgmt.ManagedSwitch;
import io.vxswitch.mgmt.TunnelInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vxswitch bgp neighbors} and {@code vxswitch evpn routes}: their tables, and against a real API. */
class BgpEvpnCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final List<NeighborView> NEIGHBORS = List.of(
        new NeighborView("192.0.2.11", 65000, "Established", 3723, 3, 2, 42, 40, 5, 3, 1, "", ""),
        new NeighborView("192.0.2.12", 65000, "Active", 0, 0, 0, 0, 0, 0, 0, 0,
            "connect failed: Connection refused", ""),
        new NeighborView("192.0.2.13", 65001, "Idle", 0, 0, 0, 310, 305, 20, 12, 2, "received Hold Timer Expired",
            "hold timer expired"));

    static final List<RouteView> ROUTES = List.of(
        new RouteView(3, 119, "192.0.2.1:119", "[3]:[0]:[32]:[192.0.2.1]", "192.0.2.1",
            List.of("RT:65000:119", "ET:8"), -1, "local"),
        new RouteView(2, 119, "192.0.2.1:119", "[2]:[0]:[48]:[00:50:56:00:00:01]", "192.0.2.1",
            List.of("RT:65000:119", "ET:8", "MM:2"), 2, "local"),
        new RouteView(3, 119, "192.0.2.2:119", "[3]:[0]:[32]:[192.0.2.2]", "192.0.2.2", List.of("RT:65000:119"), -1,
            "192.0.2.11"),
        new RouteView(2, 119, "192.0.2.2:119", "[2]:[0]:[48]:[52:54:00:00:00:07]:[32]:[10.0.0.7]", "192.0.2.2",
            List.of("RT:65000:119"), 1, "192.0.2.11"));

    @TempDir
    Path dir;
    private ApiServer api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void the_neighbor_table_reads_like_frrs_bgp_summary_with_the_errors_below() throws Exception {
        String out = BgpCommand.Neighbors.render(JSON.valueToTree(NEIGHBORS));
        assertThat(out).isEqualTo("""
            Neighbor       AS  State         Up/Down  PfxRcd  PfxSnt  MsgRcvd  MsgSent
            192.0.2.11  65000  Established  01:02:03       3       2       42       40
            192.0.2.12  65000  Active          never       0       0        0        0
            192.0.2.13  65001  Idle                -       0       0      310      305

            Total number of neighbors 3

            192.0.2.12: last error: connect failed: Connection refused
            192.0.2.13: went down: hold timer expired
            192.0.2.13: last error: received Hold Timer Expired
            """);
        assertThat(BgpCommand.Neighbors.hms(100 * 3600 + 5)).isEqualTo("100:00:05");
    }

    @Test
    void routes_are_grouped_by_route_distinguisher_in_frr_notation() throws Exception {
        String out = EvpnCommand.Routes.render(JSON.valueToTree(ROUTES));
        assertThat(out).isEqualTo("""
            EVPN type-2 prefix: [2]:[EthTag]:[MAClen]:[MAC]:[IPlen]:[IP]
            EVPN type-3 prefix: [3]:[EthTag]:[IPlen]:[OrigIP]

               Network                                           Next Hop   Source      Extended Community
            Route Distinguisher: 192.0.2.1:119 (VNI 119)
               [3]:[0]:[32]:[192.0.2.1]                          192.0.2.1  local       RT:65000:119 ET:8
               [2]:[0]:[48]:[00:50:56:00:00:01]                  192.0.2.1  local       RT:65000:119 ET:8 MM:2
            Route Distinguisher: 192.0.2.2:119 (VNI 119)
               [3]:[0]:[32]:[192.0.2.2]                          192.0.2.2  192.0.2.11  RT:65000:119
               [2]:[0]:[48]:[52:54:00:00:00:07]:[32]:[10.0.0.7]  192.0.2.2  192.0.2.11  RT:65000:119 MM:1

            Displayed 4 routes (2 MAC/IP, 2 inclusive multicast) in 2 route distinguishers
            """);
        assertThat(EvpnCommand.Routes.render(JSON.createArrayNode()))
            .startsWith("no EVPN routes").contains("vxswitch bgp neighbors");
    }

    @Test
    void without_evpn_both_commands_say_what_to_configure() {
        start(false);
        for (String[] command : List.of(new String[] {"bgp", "neighbors"}, new String[] {"evpn", "routes"})) {
            Run r = vxswitch(command);
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("vxswitch: EVPN is not configured: add an evpn section and controlPlane:"
                + " evpn on a tunnel (docs/evpn.md) [HTTP 404]" + System.lineSeparator());
        }
    }

    @Test
    void against_a_running_switch_the_commands_show_its_sessions_and_filtered_routes() throws Exception {
        start(true);
        Run neighbors = vxswitch("bgp", "neighbors");
        assertThat(neighbors.code()).isZero();
        assertThat(neighbors.out()).containsPattern("192\\.0\\.2\\.11 +65000 +Established +01:02:03 +3 +2 +42 +40");
        Run json = vxswitch("bgp", "neighbors", "--json");
        assertThat(JSON.readTree(json.out()).get(1).path("lastError").asText())
            .isEqualTo("connect failed: Connection refused");

        Run macs = vxswitch("evpn", "routes", "--vni", "119", "--type", "2");
        assertThat(macs.code()).isZero();
        assertThat(macs.out()).contains("[2]:[0]:[48]:[00:50:56:00:00:01]").doesNotContain("[3]:[0]")
            .contains("Displayed 2 routes (2 MAC/IP, 0 inclusive multicast) in 2 route distinguishers");
        assertThat(vxswitch("evpn", "routes", "--vni", "120").out()).startsWith("no EVPN routes");

        Run badType = vxswitch("evpn", "routes", "--type", "5");
        assertThat(badType.code()).isEqualTo(1);
        assertThat(badType.err()).startsWith("vxswitch: type must be 2 (MAC/IP advertisement").contains("[HTTP 400]");
    }

    @Test
    void help_says_what_the_columns_mean_with_an_example() {
        assertThat(vxswitch("bgp", "neighbors", "--help").out()).contains("'show bgp summary'")
            .contains("Up/Down  how long it has been Established").contains("Example:  vxswitch bgp neighbors")
            .contains("--api=URL");
        assertThat(vxswitch("evpn", "routes", "--help").out()).contains("'show bgp l2vpn evpn'")
            .contains("type 2  MAC/IP advertisement").contains("vxswitch evpn routes --vni 119 --type 2")
            .contains("--vni=N").contains("--type=2|3").contains("--json");
        assertThat(vxswitch("--help").out()).contains("vxswitch bgp neighbors").contains("vxswitch evpn routes");
        assertThat(vxswitch("completion").out()).contains("neighbors").contains("routes").contains("--vni");
    }

    record Run(int code, String out, String err) {
    }

    private Run vxswitch(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (api != null && !all.contains("--help") && !all.contains("completion")) {
            all.addAll(List.of("--api", "http://127.0.0.1:" + api.port(), "--token-file",
                dir.resolve("api.token").toString()));
        }
        CommandLine cl = VxswitchCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private void start(boolean evpn) {
        api = ApiServer.start(new ApiOptions("127.0.0.1", 0, null, dir.resolve("api.token")), new EvpnOnly(evpn),
            line -> { });
    }

    /** A switch seen only through its control plane: the switch itself is not asked for. */
    private record EvpnOnly(boolean evpnEnabled) implements ManagedSwitch {
        @Override
        public List<NeighborView> bgpNeighbors() {
            return NEIGHBORS;
        }

        @Override
        public List<RouteView> evpnRoutes() {
            return ROUTES;
        }

        @Override
        public String name() {
            return "evpn-test";
        }

        @Override
        public <T> T call(Function<Switch, T> function) {
            throw new UnsupportedOperationException("the EVPN commands must not need the switch loop");
        }

        @Override
        public List<TunnelInfo> tunnels() {
            return List.of();
        }

        @Override
        public CaptureSession capture(String port, int snaplen) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String addPort(String description) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String removePort(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> reloadConfig() {
            throw new UnsupportedOperationException();
        }
    }
}
