package io.vxswitch.app.it;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * trafgen (netsniff-ng) sending raw frames from a namespace's link. A tap takes frames only as fast as the switch
 * reads them (trafgen sends a refused frame again), so every frame reaches the switch. trafgen runs as one process
 * ({@code --cpus 1}: each process would count on its own, and a flood would send the same MACs twice), and leaves
 * the machine's settings alone: {@code --no-sock-mem} (it would raise the system-wide socket buffer defaults for the
 * run) and {@code --notouch-irq} (it would move the NIC's interrupts).
 */
final class Trafgen {
    private static final Pattern SENT = Pattern.compile("(\\d+) packets outgoing");

    private final Background trafgen;

    private Trafgen(Background trafgen) {
        this.trafgen = trafgen;
    }

    /**
     * A MAC flood: {@code frames} broadcast frames (0: until stopped) from {@code macs} distinct source MACs,
     * 0a:00:00:00:00:00 upward (locally administered unicast, so a switch learns them), one after the other and
     * round again. 60-byte frames of an experimental EtherType (0x88b5), which no stack answers.
     */
    static Trafgen macFlood(Lab lab, Netns ns, String dev, int macs, long frames) {
        return send(lab, ns, dev, frames, "{ eth(da=ff:ff:ff:ff:ff:ff, sa=0a:00:00:00:00:00, sa=dinc(0, "
            + (macs - 1) + "), type=0x88b5), fill(0, 46) }");
    }

    /** {@code frames} 60-byte frames (0: until stopped) from {@code src} to {@code dst}, EtherType 0x88b5. */
    static Trafgen unicast(Lab lab, Netns ns, String dev, String src, String dst, long frames) {
        return send(lab, ns, dev, frames, "{ eth(da=" + dst + ", sa=" + src + ", type=0x88b5), fill(0, 46) }");
    }

    private static Trafgen send(Lab lab, Netns ns, String dev, long frames, String packet) {
        Tools.assume("raw frames", "trafgen");
        return new Trafgen(lab.spawn("trafgen on " + dev, ns, "trafgen", "--cpus", "1", "--no-sock-mem",
            "--notouch-irq", "-o", dev, "-n", Long.toString(frames), packet));
    }

    void stop() {
        trafgen.stop("INT", Duration.ofSeconds(5));
    }

    boolean isRunning() {
        return trafgen.isAlive();
    }

    /** Waits for trafgen to finish; the frames it sent. */
    long awaitSent(Duration timeout) {
        int status = trafgen.awaitExit(timeout);
        String out = trafgen.output();
        Matcher m = SENT.matcher(out);
        if (status != 0 || !m.find()) {
            throw new AssertionError("trafgen did not finish within " + timeout.toSeconds() + " s (status " + status
                + "):\n" + out);
        }
        return Long.parseLong(m.group(1));
    }
}
