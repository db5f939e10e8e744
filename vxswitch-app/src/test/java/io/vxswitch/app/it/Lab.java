package io.vxswitch.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Everything one integration test builds on this machine: its network namespaces (named {@code vxit-<random>-<role>}),
 * the processes it starts, and a scratch folder. {@link #close} removes all of it, in reverse order, also when the
 * test failed half way: cleanup hooks, then processes (SIGTERM, then SIGKILL), then whatever still runs inside the
 * namespaces, then the namespaces themselves, which removes every veth, bridge, vxlan and tap in them.
 *
 * <p>Nothing is configured in the root namespace: veths are created with {@code ip -n NS link add ... peer ... netns
 * OTHER}, addresses (10/8 overlays, 192.0.2.0/24 and 198.51.100.0/24 underlays) live only inside namespaces, and
 * each vxswitch daemon runs inside its own "host" namespace.
 */
final class Lab implements AutoCloseable {
    static final String PREFIX = "vxit-";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What every namespace, and the scratch folder, of this lab is named after: {@link #PREFIX} unless told. */
    private final String prefix;
    private final String id;
    private final Path dir;
    private final List<Netns> namespaces = new ArrayList<>();
    private final List<Background> processes = new ArrayList<>();
    private final Deque<Runnable> hooks = new ArrayDeque<>();

    private Lab(String prefix) {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        this.prefix = prefix;
        this.id = HexFormat.of().formatHex(b);
        try {
            this.dir = Files.createTempDirectory(prefix + id + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new lab; skips the test (JUnit assumption) unless this is Linux, as root, with {@code ip netns}. */
    static Lab open() {
        return open(PREFIX);
    }

    /**
     * The same with namespaces named {@code <prefix><random>-<role>}: a test that must be told apart from the others
     * on a shared machine (its own prefix in {@code ip netns list}).
     */
    static Lab open(String prefix) {
        assumeRootWithNetns();
        return new Lab(prefix);
    }

    static void assumeRootWithNetns() {
        assumeTrue(System.getProperty("os.name", "").equals("Linux"),
            "integration tests build network namespaces: Linux only (this is " + System.getProperty("os.name") + ")");
        long uid = uid();
        assumeTrue(uid == 0, "integration tests create network namespaces, TAP devices and veths: they need root "
            + "(uid 0), this JVM runs as uid " + uid + " - skipped");
        assumeTrue(Tools.has("ip") && Cmd.run(List.of("ip", "netns", "list")).ok(),
            "integration tests need 'ip netns' (iproute2) - skipped");
    }

    private static long uid() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("Uid:")).map(l -> Long.parseLong(l.split("\\s+")[1])).findFirst()
                .orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    String id() {
        return id;
    }

    /** The scratch folder (configs, captures, logs); removed on close. */
    Path dir() {
        return dir;
    }

    /** A new namespace {@code vxit-<id>-<role>} with lo up and IPv6 off (captures hold only the test's traffic). */
    Netns netns(String role) {
        Netns ns = new Netns(prefix + id + "-" + role);
        Cmd.run(List.of("ip", "netns", "add", ns.name())).check();
        namespaces.add(ns);
        ns.ip("link set lo up");
        ns.sysctl("net.ipv6.conf.all.disable_ipv6=1");
        ns.sysctl("net.ipv6.conf.default.disable_ipv6=1");
        return ns;
    }

    /** A veth pair created inside {@code a} with its peer moved to {@code b} at birth; both ends up. */
    void veth(Netns a, String aName, Netns b, String bName, int mtu) {
        a.ip("link add " + aName + " mtu " + mtu + " type veth peer name " + bName + " mtu " + mtu + " netns "
            + b.name());
        a.ip("link set " + aName + " up");
        b.ip("link set " + bName + " up");
    }

    /**
     * A "VM": namespace {@code role} with eth0 ({@code mac}, {@code cidr}, {@code mtu}), a veth whose other end is
     * {@code hostSide} in {@code host}, up and attached to nothing.
     */
    Netns vmOnVeth(String role, Netns host, String hostSide, String cidr, String mac, int mtu) {
        Netns vm = netns(role);
        vm.ip("link add eth0 address " + mac + " mtu " + mtu + " type veth peer name " + hostSide + " mtu " + mtu
            + " netns " + host.name());
        vm.ip("addr add " + cidr + " dev eth0");
        vm.ip("link set eth0 up");
        host.ip("link set " + hostSide + " up");
        return vm;
    }

    /**
     * The kernel's reference VTEP in {@code host}: bridge br0 with vxlan119 (VNI 119, dstport 4789, from {@code local}
     * to {@code remote} over ul0), and VM "vm3" ({@code cidr}, {@code mac}, MTU 1450) on a veth in the bridge, with
     * offloads off on both ends of that veth (a kernel VTEP would otherwise send its TCP with checksums left to a NIC).
     */
    Netns vm3BehindKernelVtep(Netns host, String local, String remote, String cidr, String mac) {
        kernelVtep(host, 119, local, "remote " + remote);
        return vmOnBridge("vm3", host, cidr, mac);
    }

    /**
     * An EVPN host's data plane, as FRR expects it (RFC 8365 with zebra): bridge br0 with vxlan{@code vni} (from
     * {@code local} over ul0, no remote, {@code nolearning}: only EVPN routes fill its FDB) and VM {@code vmRole}
     * ({@code cidr}, {@code mac}, MTU 1450) on a veth in the bridge. Zebra finds the VNI from the vxlan device.
     */
    Netns vmBehindEvpnVtep(Netns host, int vni, String local, String vmRole, String cidr, String mac) {
        kernelVtep(host, vni, local, "nolearning");
        return vmOnBridge(vmRole, host, cidr, mac);
    }

    /**
     * Bridge br0 (no multicast snooping) in {@code host} with vxlan{@code vni} in it: VNI {@code vni}, dstport 4789,
     * source {@code local} over ul0, plus {@code options} for ip link ({@code "remote 192.0.2.1"},
     * {@code "nolearning"}). A second call in the same host adds another vxlan device to the same bridge.
     */
    void kernelVtep(Netns host, int vni, String local, String options) {
        if (host.tryIp("link show br0").exitCode() != 0) {
            host.ip("link add br0 type bridge mcast_snooping 0");
            host.ip("link set br0 up");
        }
        String vxlan = "vxlan" + vni;
        host.ip("link add " + vxlan + " type vxlan id " + vni + " local " + local + " dstport 4789 dev ul0 "
            + options);
        host.ip("link set " + vxlan + " master br0");
        host.ip("link set " + vxlan + " up");
    }

    /**
     * VM {@code role} ({@code cidr}, {@code mac}, MTU 1450) on a veth whose host end, also named {@code role}, is in
     * {@code host}'s br0; offloads off on both ends (a kernel VTEP would otherwise send its TCP with checksums left
     * to a NIC).
     */
    Netns vmOnBridge(String role, Netns host, String cidr, String mac) {
        Netns vm = vmOnVeth(role, host, role, cidr, mac, 1450);
        host.ip("link set " + role + " master br0");
        vm.offloadsOff("eth0");
        host.offloadsOff(role);
        return vm;
    }

    /**
     * A "VM" on a vxswitch TAP port: moves {@code tap} (created by the daemon in {@code host}) into a new namespace
     * {@code role}, gives it {@code mac} and {@code cidr}, and sets it up. The daemon keeps its descriptor: the
     * tap keeps working in its new namespace.
     */
    Netns vmOnTap(String role, Netns host, String tap, String cidr, String mac) {
        Netns vm = netns(role);
        host.ip("link set " + tap + " netns " + vm.name());
        vm.ip("link set " + tap + " address " + mac);
        if (cidr != null) {
            vm.ip("addr add " + cidr + " dev " + tap);
        }
        vm.ip("link set " + tap + " up");
        return vm;
    }

    /** Starts {@code command} inside {@code ns}; stopped on close. Its output goes to a file in {@link #dir}. */
    Background spawn(String label, Netns ns, String... command) {
        return spawn(label, ns, Map.of(), command);
    }

    Background spawn(String label, Netns ns, Map<String, String> env, String... command) {
        Path log = dir.resolve(label.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + processes.size() + ".log");
        Background b = Background.start(label, ns.inside(command), log, env);
        processes.add(b);
        return b;
    }

    /** Runs {@code hook} first on close (e.g. a graceful stop of Open vSwitch); a failing hook is reported. */
    void onClose(Runnable hook) {
        hooks.push(hook);
    }

    /** The output of every process the lab started, for failure messages. */
    String diagnostics() {
        StringBuilder sb = new StringBuilder();
        for (Background b : processes) {
            String out = b.output();
            if (out.length() > 6000) {
                out = "...\n" + out.substring(out.length() - 6000);
            }
            sb.append("\n----- ").append(b.label()).append(b.isAlive() ? " (running)" : " (exited)").append('\n')
                .append(out);
        }
        return sb.toString();
    }

    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        while (!hooks.isEmpty()) {
            try {
                hooks.pop().run();
            } catch (RuntimeException | AssertionError e) {
                problems.add("cleanup hook: " + e.getMessage());
            }
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).stop("TERM", Duration.ofSeconds(5));
        }
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            Netns ns = namespaces.get(i);
            killAllInside(ns);
            Cmd.Result r = Cmd.run(List.of("ip", "netns", "del", ns.name()));
            if (!r.ok()) {
                problems.add(r.describe());
            }
        }
        String left = Cmd.run(List.of("ip", "netns", "list")).out();
        if (left.contains(prefix + id)) {
            problems.add("namespaces left behind:\n" + left);
        }
        deleteTree(dir);
        if (!problems.isEmpty()) {
            throw new AssertionError("lab " + id + " cleanup failed: " + String.join("\n", problems));
        }
    }

    /** SIGTERM to every process still inside {@code ns} (found with ip netns pids), SIGKILL after 2 s. */
    private static void killAllInside(Netns ns) {
        for (String signal : List.of("TERM", "KILL")) {
            List<String> pids = pids(ns);
            if (pids.isEmpty()) {
                return;
            }
            List<String> kill = new ArrayList<>(List.of("kill", "-s", signal));
            kill.addAll(pids);
            Cmd.run(kill);
            for (int i = 0; i < 20 && !pids(ns).isEmpty(); i++) {
                Background.sleep(100);
            }
        }
    }

    private static List<String> pids(Netns ns) {
        Cmd.Result r = Cmd.run(List.of("ip", "netns", "pids", ns.name()));
        return r.ok() ? r.out().lines().map(String::trim).filter(s -> !s.isEmpty()).toList() : List.of();
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a scratch folder under /tmp: leaving it is harmless
        }
    }
}
