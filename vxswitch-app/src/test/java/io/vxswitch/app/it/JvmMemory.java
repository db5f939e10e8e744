package io.vxswitch.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory of a running JVM (the daemon) as an operator would read it: the Java heap in use right after a full
 * collection ({@code jcmd PID GC.run}, then {@code GC.heap_info}), the live data the process keeps, and its resident
 * set ({@code VmRSS} of /proc/PID/status).
 */
record JvmMemory(long heapAfterGcKib, long rssKib) {
    /** A heap or generation (not a region line, indented further): "garbage-first heap   total ..., used 11962K". */
    private static final Pattern USED = Pattern.compile("^ ?\\S.*\\bused (\\d+)K");

    /** Collects the daemon's garbage and reads what is left, with the JDK's jcmd (the one running the tests). */
    static JvmMemory of(long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Cmd.run(List.of(jcmd, Long.toString(pid), "GC.run")).check();
        String info = Cmd.run(List.of(jcmd, Long.toString(pid), "GC.heap_info")).check().out();
        return new JvmMemory(heapUsed(info), rss(pid));
    }

    /** The heap in use: G1's one heap line, or the sum of the generations (Serial, Parallel); not Metaspace. */
    static long heapUsed(String heapInfo) {
        long used = 0;
        boolean found = false;
        for (String line : heapInfo.lines().toList()) {
            Matcher m = USED.matcher(line);
            if (m.find() && !line.contains("Metaspace") && !line.contains("class space")) {
                used += Long.parseLong(m.group(1));
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError("no heap usage in jcmd GC.heap_info:\n" + heapInfo);
        }
        return used;
    }

    private static long rss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst().orElseThrow(() -> new AssertionError("no VmRSS in /proc/" + pid + "/status"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "heap after GC " + heapAfterGcKib + " KiB, RSS " + rssKib + " KiB";
    }
}
