package io.vxswitch.app.daemon;

import io.vxswitch.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The drop-in of ports added at run time: what it writes is what the config reader reads back, beside the config. */
class RuntimePortsTest {
    private static final String CONFIG = """
        switch: {name: host}
        portGroups:
          - {name: lan, vlan: 119}
          - {name: trunk, vlan: {trunk: 1-4094}}
          - {name: nested, vlan: 119, security: {forgedTransmits: accept}, macLearning: {enabled: true}}
        ports:
          - {name: vm1, type: tap, portGroup: lan, mac: "02:00:00:00:00:01"}
        """;

    @TempDir
    Path dir;

    private Path config() throws IOException {
        Path config = dir.resolve("vxswitch.yaml");
        Files.writeString(config, CONFIG);
        return config;
    }

    private static List<PortConfig> parsed(String... entries) {
        DaemonConfig c = DaemonConfigParser.parse("c.yaml", CONFIG);
        return java.util.Arrays.stream(entries).map(e -> DaemonConfigParser.parsePort("e", e, c.portGroups())).toList();
    }

    @Test
    void theDropInSitsBesideTheConfig() {
        assertThat(RuntimePorts.fileFor(Path.of("/etc/vxswitch/vxswitch.yaml")))
            .isEqualTo(Path.of("/etc/vxswitch/vxswitch.d/ports.yaml"));
        assertThat(RuntimePorts.fileFor(Path.of("/srv/host-a.yml"))).isEqualTo(Path.of("/srv/host-a.d/ports.yaml"));
    }

    @Test
    void everyKindOfPortIsReadBackAsTheSamePort() throws IOException {
        Path config = config();
        List<PortConfig> ports = parsed(
            "{name: vm3, type: tap, portGroup: lan, mac: '02:00:00:00:00:03', mtu: 1450, offload: false}",
            "{name: up1, type: interface, interface: veth-up1, portGroup: trunk, ring: true, offload: true}",
            "{name: esxi, type: tap, portGroup: nested, kind: uplink}",
            "{name: probe, type: interface, interface: veth-p, portGroup: lan, kind: vnic, mac: '02:00:00:00:00:09'}",
            "{name: vm4, type: vhostuser, socket: /run/vxswitch/vm4.sock, portGroup: lan, mac: '02:00:00:00:00:04',"
                + " socketGroup: kvm}",
            "{name: vm5, type: vhostuser, socket: /run/vxswitch/vm5.sock, mode: client, offload: false,"
                + " portGroup: nested}");
        RuntimePorts.write(RuntimePorts.fileFor(config), ports);

        DaemonConfig read = DaemonConfigParser.read(config);
        assertThat(read.ports()).hasSize(7);
        assertThat(read.ports().subList(1, 7)).isEqualTo(ports);
        assertThat(read.runtimePorts()).containsExactlyInAnyOrder("vm3", "up1", "esxi", "probe", "vm4", "vm5");
        assertThat(Files.readString(RuntimePorts.fileFor(config))).startsWith("# Ports added at run time")
            .contains("  - {name: \"vm3\", type: tap, portGroup: \"lan\", mac: \"02:00:00:00:00:03\", mtu: 1450,"
                + " offload: false}");
        try (var files = Files.list(RuntimePorts.fileFor(config).getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left").containsExactly(
                "ports.yaml");
        }
    }

    @Test
    void aLagAddedAtRunTimeIsReadBackWithItsMembersAndLacpSettings() throws IOException {
        Path config = config();
        List<PortConfig> ports = parsed(
            "{name: lag0, type: lag, portGroup: trunk, members: [ul1, ul2], lacp: passive, rate: fast, hash: l2,"
                + " systemPriority: 100, systemId: '02:00:00:00:00:aa', key: 7, portPriority: 9, ring: true}",
            "{name: lag1, type: lag, portGroup: trunk, members: [ul3]}");
        RuntimePorts.write(RuntimePorts.fileFor(config), ports);
        DaemonConfig read = DaemonConfigParser.read(config);
        assertThat(read.ports().subList(1, 3)).isEqualTo(ports);
        assertThat(Files.readString(RuntimePorts.fileFor(config)))
            .contains("  - {name: \"lag0\", type: lag, portGroup: \"trunk\", ring: true, members: [\"ul1\", \"ul2\"],"
                + " lacp: passive, rate: fast, hash: l2, systemPriority: 100, systemId: \"02:00:00:00:00:aa\", key: 7,"
                + " portPriority: 9}")
            .contains("  - {name: \"lag1\", type: lag, portGroup: \"trunk\", members: [\"ul3\"], lacp: active, rate: slow,"
                + " hash: l3l4}");
    }

    @Test
    void aLagInTheDropInWhoseMemberServesAPortOfTheConfigIsAnErrorAtItsLine() throws IOException {
        Path config = dir.resolve("vxswitch.yaml");
        Files.writeString(config, CONFIG + "  - {name: up1, type: interface, interface: ul2, portGroup: trunk}\n");
        Path dropIn = RuntimePorts.fileFor(config);
        Files.createDirectories(dropIn.getParent());
        Files.writeString(dropIn, "ports:\n  - {name: lag0, type: lag, portGroup: trunk, members: [ul1, ul2]}\n");
        assertThatThrownBy(() -> DaemonConfigParser.read(config)).isInstanceOf(ConfigException.class)
            .hasMessageContaining(dropIn + ":2:").hasMessageContaining("interface ul2 already serves port 'up1'");
    }

    @Test
    void withoutPortsTheFileGoes() throws IOException {
        Path config = config();
        Path dropIn = RuntimePorts.fileFor(config);
        RuntimePorts.write(dropIn, parsed("{name: vm3, type: tap, portGroup: lan, mac: '02:00:00:00:00:03'}"));
        RuntimePorts.write(dropIn, List.of());
        assertThat(dropIn).doesNotExist();
        assertThat(DaemonConfigParser.read(config).runtimePorts()).isEmpty();
    }

    @Test
    void aNameTheConfigUsesIsAnErrorAtItsLineInTheDropIn() throws IOException {
        Path config = config();
        Path dropIn = RuntimePorts.fileFor(config);
        Files.createDirectories(dropIn.getParent());
        Files.writeString(dropIn, "ports:\n  - {name: vm3, type: tap, portGroup: lan, mac: '02:00:00:00:00:03'}\n"
            + "  - {name: vm1, type: tap, portGroup: lan, mac: '02:00:00:00:00:01'}\n");
        assertThatThrownBy(() -> DaemonConfigParser.read(config)).isInstanceOf(ConfigException.class)
            .hasMessageContaining(dropIn + ":3:")
            .hasMessageContaining("port name 'vm1' is already used in " + config);
    }

    @Test
    void aBadEntryIsAnErrorAtItsLineInTheDropIn() throws IOException {
        Path config = config();
        Path dropIn = RuntimePorts.fileFor(config);
        Files.createDirectories(dropIn.getParent());
        Files.writeString(dropIn, "ports:\n  - {name: vm3, type: tap, portGroup: gone}\n");
        assertThatThrownBy(() -> DaemonConfigParser.read(config)).isInstanceOf(ConfigException.class)
            .hasMessageContaining(dropIn + ":2:").hasMessageContaining("no port group 'gone'");
        Files.writeString(dropIn, "switch: {name: x}\n");
        assertThatThrownBy(() -> DaemonConfigParser.read(config)).hasMessageContaining("switch");
    }
}
