package io.vxswitch.app.daemon;

import io.vxswitch.config.Values;
import io.vxswitch.config.YamlDocument;
import io.vxswitch.config.YamlValue;
import io.vxswitch.config.YamlValue.YamlMap;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.PortKind;
import io.vxswitch.forwarding.lacp.LagOptions;
import io.vxswitch.linux.vhost.VhostUserEndpoint;
import io.vxswitch.packet.MacAddress;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Ports added at run time ({@code vxswitch ports add}, {@code POST /ports}), kept in a drop-in file beside the config
 * so that a restart or a reload brings them back, as {@code ovs-vsctl add-port} outlives a restart of Open vSwitch:
 * {@code /etc/vxswitch/vxswitch.yaml} keeps them in {@code /etc/vxswitch/vxswitch.d/ports.yaml}. The file has the
 * config's {@code ports:} format (an operator can read it, or edit it and reload); vxswitch writes it whole, to a
 * temporary file that is synced and renamed over it, so a crash leaves the old list or the new one, never half.
 */
final class RuntimePorts {
    static final String HEADER = """
        # Ports added at run time with 'vxswitch ports add' (POST /api/v1/ports); 'vxswitch ports del' removes them.
        # Written by vxswitch; read with the config at start and at every 'vxswitch config reload' (docs/config.md).
        """;

    private RuntimePorts() {
    }

    /** {@code DIR/NAME.yaml} → {@code DIR/NAME.d/ports.yaml}. */
    static Path fileFor(Path config) {
        String name = config.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return config.toAbsolutePath().resolveSibling(name + ".d").resolve("ports.yaml");
    }

    /**
     * {@code config} with the drop-in's ports after its own, or {@code config} itself when there is no drop-in. A bad
     * entry, or a name the config uses already, is an error at its line in the drop-in.
     */
    static DaemonConfig addTo(DaemonConfig config, Path configFile) throws IOException {
        Path dropIn = fileFor(configFile);
        if (!Files.exists(dropIn)) {
            return config;
        }
        YamlMap root = Values.map(YamlDocument.read(dropIn, "ports: [a list of ports]"), "the ports file");
        root.allowOnly("the ports file", List.of("ports"));
        List<PortConfig> added = new ArrayList<>();
        for (YamlValue v : root.get("ports").map(p -> Values.list(p, "ports")).orElse(List.of())) {
            PortConfig p = DaemonConfigParser.port(v, config.portGroups());
            boolean taken = config.ports().stream().anyMatch(q -> q.name().equals(p.name()))
                || config.tunnels().stream().anyMatch(t -> t.name().equals(p.name()));
            if (taken) {
                throw v.where().error("port name '" + p.name() + "' is already used in " + configFile
                    + ": remove it from one of the two files");
            }
            if (added.stream().anyMatch(q -> q.name().equals(p.name()))) {
                throw v.where().error("port '" + p.name() + "' is listed twice");
            }
            List<PortConfig> before = new ArrayList<>(config.ports());
            before.addAll(added);
            String shared = LagConfigParser.interfaceTaken(p, before);
            if (shared != null) {
                throw v.where().error(shared);
            }
            added.add(p);
        }
        return config.withRuntimePorts(added);
    }

    /** Replaces the drop-in with {@code ports} (none: the file goes), atomically. */
    static void write(Path dropIn, Collection<PortConfig> ports) throws IOException {
        if (ports.isEmpty()) {
            Files.deleteIfExists(dropIn);
            return;
        }
        Files.createDirectories(dropIn.getParent());
        StringBuilder text = new StringBuilder(HEADER).append("ports:\n");
        for (PortConfig p : ports) {
            text.append("  - ").append(yaml(p)).append('\n');
        }
        Path tmp = dropIn.resolveSibling("." + dropIn.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true); // on disk before the rename makes it the file: a crash cannot leave it empty
        }
        Files.move(tmp, dropIn, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** One port as a flow mapping in the config's format, with what differs from the defaults. */
    static String yaml(PortConfig p) {
        StringBuilder s = new StringBuilder("{name: ").append(quoted(p.name()))
            .append(", type: ").append(p.type().label())
            .append(", portGroup: ").append(quoted(p.portGroup()));
        // taps and vhostuser ports: vNICs, offloads on; interfaces and LAGs: uplinks, offloads off
        boolean byDefaultVnic = p.type() != PortConfig.Type.INTERFACE && p.type() != PortConfig.Type.LAG;
        if ((p.kind() == PortKind.VNIC) != byDefaultVnic) {
            s.append(", kind: ").append(p.kind() == PortKind.VNIC ? "vnic" : "uplink");
        }
        if (p.interfaceName() != null) {
            s.append(", interface: ").append(quoted(p.interfaceName()));
        }
        if (p.mac() != Port.NO_MAC) {
            s.append(", mac: ").append(quoted(MacAddress.format(p.mac())));
        }
        if (p.mtu() != 0) {
            s.append(", mtu: ").append(p.mtu());
        }
        if (p.offload() != byDefaultVnic) {
            s.append(", offload: ").append(p.offload());
        }
        if (p.ring()) {
            s.append(", ring: true");
        }
        if (p.socket() != null) {
            s.append(", socket: ").append(quoted(p.socket()));
        }
        if (p.vhostMode() == VhostUserEndpoint.Mode.CLIENT) {
            s.append(", mode: client");
        }
        if (p.socketGroup() != null) {
            s.append(", socketGroup: ").append(quoted(p.socketGroup()));
        }
        if (p.lag() != null) {
            lag(s, p.lag());
        }
        return s.append('}').toString();
    }

    /** A LAG's members and LACP settings, those that differ from the defaults as the parser has them. */
    private static void lag(StringBuilder s, LagOptions l) {
        s.append(", members: [").append(String.join(", ", l.members().stream().map(RuntimePorts::quoted).toList()))
            .append("], lacp: ").append(l.mode().label()).append(", rate: ").append(l.rate().label())
            .append(", hash: ").append(l.hash().label());
        if (l.systemPriority() != LagOptions.DEFAULT_SYSTEM_PRIORITY) {
            s.append(", systemPriority: ").append(l.systemPriority());
        }
        if (l.systemId() != LagOptions.DERIVED) {
            s.append(", systemId: ").append(quoted(MacAddress.format(l.systemId())));
        }
        if (l.key() != LagOptions.DERIVED) {
            s.append(", key: ").append(l.key());
        }
        if (l.portPriority() != LagOptions.DEFAULT_PORT_PRIORITY) {
            s.append(", portPriority: ").append(l.portPriority());
        }
    }

    /** A YAML double-quoted scalar: names are checked to be plain already, but the file must parse whatever they are. */
    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
