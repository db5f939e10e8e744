package io.vxswitch.app.daemon;

import io.vxswitch.config.MirrorParser;
import io.vxswitch.config.Values;
import io.vxswitch.config.YamlDocument;
import io.vxswitch.config.YamlValue;
import io.vxswitch.config.YamlValue.YamlMap;
import io.vxswitch.forwarding.mirror.MirrorSession;

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
 * Mirror sessions added at run time ({@code vxswitch mirror add}, {@code POST /mirrors}), kept as {@link RuntimePorts}
 * keeps ports: in a drop-in beside the config ({@code /etc/vxswitch/vxswitch.d/mirrors.yaml}), in the config's
 * {@code mirrors:} format, written whole to a synced temporary file renamed over the old one, and read with the config
 * at start and at every reload. Open vSwitch keeps a {@code Mirror} in its database the same way: it outlives a restart.
 */
final class RuntimeMirrors {
    static final String HEADER = """
        # Mirror sessions added at run time with 'vxswitch mirror add' (POST /api/v1/mirrors); 'vxswitch mirror del'
        # removes them. Written by vxswitch; read with the config at start and at every 'vxswitch config reload'.
        """;

    private RuntimeMirrors() {
    }

    /** {@code DIR/NAME.yaml} → {@code DIR/NAME.d/mirrors.yaml}. */
    static Path fileFor(Path config) {
        return RuntimePorts.fileFor(config).resolveSibling("mirrors.yaml");
    }

    /** {@code config} with the drop-in's sessions after its own; a bad or clashing entry is an error at its line. */
    static DaemonConfig addTo(DaemonConfig config, Path configFile) throws IOException {
        Path dropIn = fileFor(configFile);
        if (!Files.exists(dropIn)) {
            return config;
        }
        YamlMap root = Values.map(YamlDocument.read(dropIn, "mirrors: [a list of mirror sessions]"), "the mirrors file");
        root.allowOnly("the mirrors file", List.of("mirrors"));
        List<MirrorSession> all = new ArrayList<>(config.mirrors());
        List<MirrorSession> added = new ArrayList<>();
        for (YamlValue v : root.get("mirrors").map(p -> Values.list(p, "mirrors")).orElse(List.of())) {
            MirrorSession m = DaemonConfigParser.mirror(v, all, config.ports());
            all.add(m);
            added.add(m);
        }
        return config.withRuntimeMirrors(added);
    }

    /** Replaces the drop-in with {@code sessions} (none: the file goes), atomically. */
    static void write(Path dropIn, Collection<MirrorSession> sessions) throws IOException {
        if (sessions.isEmpty()) {
            Files.deleteIfExists(dropIn);
            return;
        }
        Files.createDirectories(dropIn.getParent());
        StringBuilder text = new StringBuilder(HEADER).append("mirrors:\n");
        for (MirrorSession m : sessions) {
            text.append("  - ").append(MirrorParser.yaml(m)).append('\n');
        }
        Path tmp = dropIn.resolveSibling("." + dropIn.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true); // on disk before the rename makes it the file: a crash cannot leave it empty
        }
        Files.move(tmp, dropIn, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
