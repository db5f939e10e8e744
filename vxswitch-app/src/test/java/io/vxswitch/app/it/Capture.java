package io.vxswitch.app.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A packet capture running while the test sends traffic: tcpdump printing one line per frame with its Ethernet
 * header ({@code -e}: MACs and VLAN tags), or tshark writing a pcapng file for a later dissection.
 */
final class Capture {
    private final Background process;
    private final Path file;

    private Capture(Background process, Path file) {
        this.process = process;
        this.file = file;
    }

    /** {@code tcpdump -l -nn -e -i DEV [FILTER]} inside {@code ns}; returns once it listens. */
    static Capture tcpdump(Lab lab, Netns ns, String dev, String... filter) {
        String[] cmd = concat(List.of("tcpdump", "-l", "-nn", "-e", "-i", dev), filter);
        Background b = lab.spawn("tcpdump " + ns.name() + ":" + dev, ns, cmd);
        b.awaitOutput(out -> out.contains("listening on"), "'listening on'", Duration.ofSeconds(10));
        return new Capture(b, null);
    }

    /** {@code tshark -i DEV -f FILTER -w FILE} inside {@code ns}; returns once it captures. */
    static Capture tshark(Lab lab, Netns ns, String dev, String captureFilter) {
        Path file = lab.dir().resolve("tshark-" + ns.name() + "-" + dev + ".pcapng");
        Background b = lab.spawn("tshark " + ns.name() + ":" + dev, ns, "tshark", "-n", "-i", dev, "-f", captureFilter,
            "-w", file.toString());
        b.awaitOutput(out -> out.contains("Capturing on"), "'Capturing on'", Duration.ofSeconds(20));
        // dumpcap prints "Capturing on" as it opens the interface; give it a moment to have the filter attached
        Background.sleep(300);
        return new Capture(b, file);
    }

    /** Stops the capture (SIGINT, so it flushes) after letting the last frames arrive; returns its text output. */
    String stop() {
        Background.sleep(300);
        process.stop("INT", Duration.ofSeconds(10));
        return process.output();
    }

    /** The pcapng file (tshark captures). */
    Path file() {
        return file;
    }

    private static String[] concat(List<String> head, String... tail) {
        String[] all = head.toArray(new String[head.size() + tail.length]);
        System.arraycopy(tail, 0, all, head.size(), tail.length);
        return all;
    }
}
