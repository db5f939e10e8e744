package io.vxswitch.app.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DPDK's testpmd as a VM's virtio-net driver: with {@code --vdev net_virtio_user0,path=SOCKET} it is a vhost-user
 * front-end speaking what QEMU's virtio-net speaks, on huge pages the test reserved ({@link Hugepages}). Flags as
 * shared/LINUX-NOTES.md has them for this machine: no PCI, one file per memory segment list, a main and a forwarding
 * lcore, a file prefix of its own, statistics printed every second (it runs without a terminal).
 */
final class Testpmd {
    private static final Pattern RX = Pattern.compile("RX-packets: +(\\d+) +RX-missed: +\\d+ +RX-bytes: +(\\d+)");
    private static final Pattern TX = Pattern.compile("TX-packets: +(\\d+) +TX-errors: +\\d+ +TX-bytes: +(\\d+)");

    private final Background process;
    private final Path runDir;

    private Testpmd(Background process, Path runDir) {
        this.process = process;
        this.runDir = runDir;
    }

    /**
     * Starts testpmd in {@code ns} on vhost-user socket {@code socket} with MAC {@code mac}, forwarding in
     * {@code mode} ({@code 5tswap}: every datagram back to its sender; {@code txonly}; {@code rxonly}).
     *
     * @param server true: testpmd creates the socket and waits (vxswitch's port is then a client)
     */
    static Testpmd start(Lab lab, Netns ns, Hugepages huge, String name, Path socket, String mac, boolean server,
                         String mode, String... more) {
        return start(lab, ns, huge, name, socket, mac, server, 1, mode, more);
    }

    /**
     * As above with {@code queues} queue pairs (virtio-user's {@code queues=}, testpmd's {@code --rxq}/{@code --txq}):
     * the back-end must offer VIRTIO_NET_F_MQ for more than one; testpmd forwards what it reads on queue i out of
     * queue i.
     */
    static Testpmd start(Lab lab, Netns ns, Hugepages huge, String name, Path socket, String mac, boolean server,
                         int queues, String mode, String... more) {
        String prefix = "vh" + lab.id() + name;
        List<String> c = new ArrayList<>(List.of("dpdk-testpmd", "-l", "0-1", "--no-pci", "--single-file-segments",
            "--huge-dir", huge.dir().toString(), "--file-prefix", prefix, "--log-level", "*:warning",
            "--vdev", "net_virtio_user0,path=" + socket + ",mac=" + mac + (server ? ",server=1" : "")
                + (queues > 1 ? ",queues=" + queues : ""),
            "--", "--no-mlockall", "--total-num-mbufs=4096", "--stats-period", "1", "--forward-mode=" + mode));
        if (queues > 1) {
            c.addAll(List.of("--rxq=" + queues, "--txq=" + queues));
        }
        c.addAll(List.of(more));
        Background b = lab.spawn("testpmd " + name, ns, c.toArray(String[]::new));
        return new Testpmd(b, Path.of("/var/run/dpdk", prefix));
    }

    /** Packets and bytes received, as its last statistics said. */
    long[] received() {
        return last(RX);
    }

    long[] sent() {
        return last(TX);
    }

    private long[] last(Pattern p) {
        Matcher m = p.matcher(process.output());
        long[] v = {0, 0};
        while (m.find()) {
            v[0] = Long.parseLong(m.group(1));
            v[1] = Long.parseLong(m.group(2));
        }
        return v;
    }

    String output() {
        return process.output();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until its statistics show at least {@code packets} received. */
    void awaitReceived(long packets, Duration timeout) {
        process.awaitOutput(out -> received()[0] >= packets, packets + " packets received", timeout);
    }

    /** Waits until its statistics show at least {@code packets} sent. */
    void awaitSent(long packets, Duration timeout) {
        process.awaitOutput(out -> sent()[0] >= packets, packets + " packets sent", timeout);
    }

    /** SIGTERM (testpmd closes its device, as a guest shutting down does); SIGKILL with {@code kill}. */
    void stop(boolean kill) {
        process.stop(kill ? "KILL" : "TERM", Duration.ofSeconds(10));
        deleteRunDir();
    }

    /** Its EAL runtime folder (/var/run/dpdk/PREFIX), which outlives it. */
    private void deleteRunDir() {
        try (var files = Files.walk(runDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // not there, or already gone
        }
    }
}
