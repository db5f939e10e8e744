package io.vxswitch.app.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One network namespace a test created (through {@link Lab#netns}): a "VM", a hypervisor host, a physical switch.
 * Commands run inside it with {@code ip netns exec}; links are configured from outside with {@code ip -n}, so the
 * root namespace is never touched.
 */
final class Netns {
    private final String name;

    Netns(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /** The command line that runs {@code command} inside this namespace. */
    List<String> inside(String... command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", name));
        c.addAll(Arrays.asList(command));
        return c;
    }

    /** Runs a command inside the namespace; the result may be a failure. */
    Cmd.Result run(String... command) {
        return Cmd.run(inside(command));
    }

    Cmd.Result run(Duration timeout, String... command) {
        return Cmd.run(inside(command), timeout);
    }

    /** Runs a command inside the namespace and fails the test if it fails. */
    String exec(String... command) {
        return run(command).check().out();
    }

    /** {@code ip -n NAME ARGS} (words separated by spaces); fails the test if ip fails. */
    String ip(String args) {
        List<String> c = new ArrayList<>(List.of("ip", "-n", name));
        c.addAll(Arrays.asList(args.trim().split("\\s+")));
        return Cmd.run(c).check().out();
    }

    /** {@code ip -n NAME ARGS}, for commands expected to fail. */
    Cmd.Result tryIp(String args) {
        List<String> c = new ArrayList<>(List.of("ip", "-n", name));
        c.addAll(Arrays.asList(args.trim().split("\\s+")));
        return Cmd.run(c);
    }

    /**
     * Whether link {@code dev} is gone from the namespace within a second. A tap read through io_uring goes when the
     * kernel has cancelled its ring's armed read: mostly within vxswitch's close, at times some milliseconds after it,
     * and after a process ends, once the kernel has torn its rings down (~20 ms; {@code IoUring.close}). A second is
     * what a port added again under the name waits for it.
     */
    boolean linkGone(String dev) {
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (tryIp("link show " + dev).ok()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Background.sleep(5);
        }
        return true;
    }

    /** The MAC address of link {@code dev}, as {@code ip -br link} prints it. */
    String mac(String dev) {
        return ip("-br link show dev " + dev).trim().split("\\s+")[2];
    }

    void sysctl(String setting) {
        exec("sysctl", "-qw", setting);
    }

    /**
     * Turns checksum and segmentation offloads off on {@code dev}. On a veth the kernel otherwise hands over frames
     * whose checksums are left for "hardware" to finish (CHECKSUM_PARTIAL) and 64 KB GSO super-frames: an AF_PACKET
     * reader (vxswitch's interface ports, Open vSwitch's netdev ports) forwards them unfinished, and a VXLAN packet
     * a kernel VTEP sends over the veth reaches a UDP socket (vxswitch's tunnel) with its inner TCP checksum
     * unfinished. A real NIC finishes them on the wire; with offloads off the kernel does it in software.
     */
    void offloadsOff(String dev) {
        exec("ethtool", "-K", dev, "tx", "off", "rx", "off", "gso", "off", "tso", "off", "gro", "off");
    }

    /** {@code ping -c COUNT -i 0.2 -W WAIT DST}, parsed. */
    Ping ping(String dst, int count, int waitSeconds) {
        Cmd.Result r = run(Duration.ofSeconds(count + waitSeconds + 10L), "ping", "-n", "-c", Integer.toString(count),
            "-i", "0.2", "-W", Integer.toString(waitSeconds), dst);
        return Ping.parse(name + "$ ping " + dst, r.out() + r.err());
    }

    /** {@code ping -c COUNT -i INTERVAL -W 2 DST}, parsed ({@code "0.01"}: root may go below 0.2 s). */
    Ping pingEvery(String dst, int count, String interval) {
        Cmd.Result r = run(Duration.ofSeconds(count + 15L), "ping", "-n", "-c", Integer.toString(count), "-i", interval,
            "-W", "2", dst);
        return Ping.parse(name + "$ ping -i " + interval + " " + dst, r.out() + r.err());
    }

    /**
     * Echo requests this namespace's stack has sent and echo replies it has received ({@code Icmp: OutEchos,
     * InEchoReps} of /proc/net/snmp, per namespace). Counts every reply however late: ping itself gives up two of
     * its slowest round trips after its last request, and counts a reply held up longer (a switch under a flood) as
     * lost.
     */
    long[] echoes() {
        List<String> icmp = exec("cat", "/proc/net/snmp").lines().filter(l -> l.startsWith("Icmp: ")).toList();
        List<String> names = Arrays.asList(icmp.get(0).split(" "));
        String[] values = icmp.get(1).split(" ");
        return new long[] {Long.parseLong(values[names.indexOf("OutEchos")]),
            Long.parseLong(values[names.indexOf("InEchoReps")])};
    }

    /** Three pings, two seconds to answer each: the check for "this path works". */
    Ping ping(String dst) {
        return ping(dst, 3, 2);
    }

    /**
     * Pings until one answer comes back (peers that drop the first packets while they resolve a tunnel neighbour,
     * like Open vSwitch's userspace datapath), or {@code timeout} passes. True if an answer came.
     */
    boolean pingsWithin(String dst, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            if (ping(dst, 1, 1).received() > 0) {
                return true;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    @Override
    public String toString() {
        return name;
    }
}
