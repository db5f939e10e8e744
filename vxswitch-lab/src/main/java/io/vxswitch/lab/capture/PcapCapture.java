package io.vxswitch.lab.capture;

import io.vxswitch.lab.engine.Endpoint;
import io.vxswitch.lab.engine.FrameListener;
import io.vxswitch.lab.engine.Link;
import io.vxswitch.packet.pcap.PcapWriter;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one pcap file per link of a lab run into a directory, as if tcpdump ran on every cable: both
 * directions of a link go into its file, stamped with the lab's virtual time. A file is created for every
 * link when the capture is attached to it, so a link that carried nothing still has its (empty) file.
 * File names come from the link's two ends, {@code esxi:uplink1 <-> nexus5k:eth1/1} giving
 * {@code esxi_uplink1--nexus5k_eth1_1.pcap} (see {@link #fileName}).
 */
public final class PcapCapture implements FrameListener, Closeable {
    public static final String SUFFIX = ".pcap";

    private final Path directory;
    private final Map<Link, PcapWriter> writers = new LinkedHashMap<>();
    private final Map<Link, Path> files = new LinkedHashMap<>();
    private final Set<String> usedNames = new HashSet<>();

    private PcapCapture(Path directory) {
        this.directory = directory;
    }

    /**
     * A capture into {@code directory}, created if missing. Existing files of the same names are replaced.
     *
     * @throws UncheckedIOException if the directory cannot be created
     */
    public static PcapCapture into(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create capture directory " + directory + ": "
                + io.vxswitch.config.FileErrors.reason(e), e);
        }
        return new PcapCapture(directory);
    }

    /**
     * The file name for a link: its end names joined by {@code --}, with {@code :} and {@code /} (which
     * separate node and port, and appear in port names like {@code eth1/1}) turned into {@code _}.
     */
    public static String fileName(Link link) {
        return sanitise(link.a().name()) + "--" + sanitise(link.b().name());
    }

    static String sanitise(String endName) {
        return endName.replace(':', '_').replace('/', '_').replace('\\', '_');
    }

    @Override
    public void attached(Link link) {
        if (writers.containsKey(link)) {
            return;
        }
        String base = fileName(link);
        String name = base;
        for (int n = 2; !usedNames.add(name); n++) {
            name = base + "-" + n; // two links whose names differ only in ':' versus '_'
        }
        Path file = directory.resolve(name + SUFFIX);
        try {
            writers.put(link, new PcapWriter(new BufferedOutputStream(Files.newOutputStream(file))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create capture file " + file + ": " + e.getMessage(), e);
        }
        files.put(link, file);
    }

    @Override
    public void onFrame(long timeNanos, Endpoint from, byte[] frame) {
        Link link = from.link();
        attached(link);
        try {
            writers.get(link).write(timeNanos, frame);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write capture file " + files.get(link) + ": "
                + io.vxswitch.config.FileErrors.reason(e), e);
        }
    }

    /** The capture files, one per link, in the order the links were built. */
    public List<Path> files() {
        return new ArrayList<>(files.values());
    }

    /** The file of {@code link}, or null if the capture never saw it. */
    public Path fileOf(Link link) {
        return files.get(link);
    }

    public Path directory() {
        return directory;
    }

    /** Flushes and closes every file; the first failure is thrown after all were tried. */
    @Override
    public void close() {
        UncheckedIOException failure = null;
        for (Map.Entry<Link, PcapWriter> e : writers.entrySet()) {
            try {
                e.getValue().close();
            } catch (IOException x) {
                if (failure == null) {
                    failure = new UncheckedIOException("cannot finish capture file " + files.get(e.getKey()) + ": "
                        + x.getMessage(), x);
                }
            }
        }
        writers.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
