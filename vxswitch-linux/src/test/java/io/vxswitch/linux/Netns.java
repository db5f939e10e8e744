package io.vxswitch.linux;

import io.vxswitch.linux.ffi.Libc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A network namespace of one test: {@code vxst-} plus a random suffix, deleted by {@link #close()} together
 * with every link the test registered in the root namespace. The test process itself stays in the root
 * namespace; devices are moved in with {@code ip link set DEV netns NS} and commands run with
 * {@code ip netns exec}.
 */
public final class Netns implements AutoCloseable {
    private final String name;
    private final List<String> rootLinks = new ArrayList<>();

    private Netns(String name) {
        this.name = name;
    }

    /** Why namespaces cannot be used here, or {@code null} if they can; probed once per JVM. */
    private static volatile String unavailable;
    private static volatile boolean probed;

    /** Skips the calling test unless this is root and a namespace can really be created and deleted. */
    public static void assumeAvailable() {
        if (!probed) {
            unavailable = probe();
            probed = true;
        }
        assumeTrue(unavailable == null, unavailable);
    }

    private static String probe() {
        if (Libc.geteuid() != 0) {
            return "skipped: netns integration tests need root (CAP_NET_ADMIN); run mvn as root or in .ci/run";
        }
        String name = "vxst-probe-" + suffix();
        Shell.Result add = Shell.run("ip", "netns", "add", name);
        Shell.run("ip", "netns", "del", name);
        return add.ok() ? null : "skipped: cannot create a network namespace here (" + add.output().trim()
            + "): needs iproute2 and CAP_SYS_ADMIN";
    }

    /** Skips unless {@link #assumeAvailable()} and the tun driver is there. */
    public static void assumeTapAvailable() {
        assumeAvailable();
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "skipped: /dev/net/tun is missing");
    }

    /** A fresh namespace with lo up and IPv6 off, so captures hold only the test's own traffic. */
    public static Netns create() {
        Netns ns = new Netns("vxst-" + suffix());
        Shell.check("ip", "netns", "add", ns.name);
        try {
            ns.exec("ip", "link", "set", "lo", "up");
            ns.exec("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
            ns.exec("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** A unique interface name, {@code vxst} plus 6 hex digits: 10 bytes, within IFNAMSIZ. */
    public static String linkName() {
        return "vxst" + suffix();
    }

    private static String suffix() {
        return String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    }

    public String name() {
        return name;
    }

    /** Deletes {@code link} from the root namespace on close, if it is still there. */
    public void ownRootLink(String link) {
        rootLinks.add(link);
    }

    /** Runs a command inside the namespace; fails unless it exits 0. */
    public String exec(String... command) {
        return Shell.check(inside(command));
    }

    /** Runs a command inside the namespace and returns whatever happened. */
    public Shell.Result run(String... command) {
        return Shell.run(inside(command));
    }

    private String[] inside(String... command) {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = name;
        System.arraycopy(command, 0, full, 4, command.length);
        return full;
    }

    @Override
    public void close() {
        for (String link : rootLinks) {
            if (Shell.run("ip", "link", "show", "dev", link).ok()) {
                Shell.run("ip", "link", "del", "dev", link);
            }
        }
        Shell.run("ip", "netns", "del", name);
    }
}
