package io.vxswitch.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Open vSwitch started by the test inside one namespace, with all its state (database, sockets, logs) in the lab's
 * folder: ovsdb-server and ovs-vswitchd run in the foreground as lab processes, never as system services. This
 * kernel has no openvswitch module, so bridges use the userspace datapath ({@code datapath_type=netdev}): ports are
 * AF_PACKET sockets (offloads must be off on the links it reads) and internal ports are TAP devices.
 */
final class Ovs {
    static final String[] PROGRAMS = {"ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-appctl"};
    private static final Path SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");

    private final Path dir;

    private Ovs(Path dir) {
        this.dir = dir;
    }

    /** Skips the test unless Open vSwitch is installed. */
    static void assumeInstalled(String why) {
        Tools.assume(why, PROGRAMS);
    }

    static Ovs start(Lab lab, Netns ns) {
        Path dir = lab.dir().resolve("ovs");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // OVS_RUNDIR etc.: otherwise ovs-vswitchd puts the bridges' management sockets in /var/run/openvswitch
        Map<String, String> env = Map.of("OVS_RUNDIR", dir.toString(), "OVS_LOGDIR", dir.toString(),
            "OVS_DBDIR", dir.toString(), "OVS_SYSCONFDIR", dir.toString());
        Cmd.run(List.of("ovsdb-tool", "create", dir.resolve("conf.db").toString(), SCHEMA.toString())).check();
        Ovs ovs = new Ovs(dir);
        lab.onClose(ovs::stop);
        Background db = lab.spawn("ovsdb-server in " + ns.name(), ns, env, "ovsdb-server",
            dir.resolve("conf.db").toString(), "--remote=punix:" + dir.resolve("db.sock"),
            "--remote=db:Open_vSwitch,Open_vSwitch,manager_options", "--unixctl=" + dir.resolve("ovsdb-server.ctl"),
            "--log-file=" + dir.resolve("ovsdb-server.log"));
        db.awaitOutput(out -> Files.exists(dir.resolve("db.sock")), "its socket " + dir.resolve("db.sock"),
            Duration.ofSeconds(15));
        ovs.vsctl("--no-wait", "init");
        Background vswitchd = lab.spawn("ovs-vswitchd in " + ns.name(), ns, env, "ovs-vswitchd",
            "unix:" + dir.resolve("db.sock"), "--unixctl=" + dir.resolve("ovs-vswitchd.ctl"),
            "--log-file=" + dir.resolve("ovs-vswitchd.log"));
        vswitchd.awaitOutput(out -> Files.exists(dir.resolve("ovs-vswitchd.ctl")), "its control socket",
            Duration.ofSeconds(15));
        return ovs;
    }

    /** {@code ovs-vsctl} on this instance; waits (10 s at most) until ovs-vswitchd has applied the change. */
    String vsctl(String... args) {
        List<String> c = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + dir.resolve("db.sock"), "--timeout=10"));
        c.addAll(Arrays.asList(args));
        return Cmd.run(c, Duration.ofSeconds(15)).check().out();
    }

    /** {@code ovs-appctl -t ovs-vswitchd.ctl ARGS}: fdb/show, ofproto/trace, dpctl/dump-flows... */
    Cmd.Result appctl(String... args) {
        List<String> c = new ArrayList<>(List.of("ovs-appctl", "-t", dir.resolve("ovs-vswitchd.ctl").toString()));
        c.addAll(Arrays.asList(args));
        return Cmd.run(c);
    }

    /** {@code ovs-ofctl COMMAND BRIDGE ARGS} on this instance's bridge {@code bridge}: add-flow, del-flows... */
    String ofctl(String command, String bridge, String... args) {
        List<String> c = new ArrayList<>(List.of("ovs-ofctl", command, "unix:" + dir.resolve(bridge + ".mgmt")));
        c.addAll(Arrays.asList(args));
        return Cmd.run(c, Duration.ofSeconds(15)).check().out();
    }

    /** What OVS knows, for failure messages: bridges, MAC tables, datapath flows, drop counters, its log. */
    String state(String... bridges) {
        StringBuilder sb = new StringBuilder("\n----- Open vSwitch state\n").append(vsctl("show"));
        for (String br : bridges) {
            sb.append("fdb/show ").append(br).append('\n').append(appctl("fdb/show", br).out());
        }
        sb.append("dpctl/dump-flows\n").append(appctl("dpctl/dump-flows").out());
        appctl("coverage/show").out().lines().filter(l -> l.contains("drop")).forEach(l -> sb.append(l).append('\n'));
        try {
            sb.append("ovs-vswitchd.log\n").append(Files.readString(dir.resolve("ovs-vswitchd.log")));
        } catch (IOException e) {
            sb.append("(no ovs-vswitchd.log)\n");
        }
        return sb.toString();
    }

    /** A clean exit removes the TAP devices of internal ports; the lab kills whatever remains. */
    private void stop() {
        if (Files.exists(dir.resolve("ovs-vswitchd.ctl"))) {
            Cmd.run(List.of("ovs-appctl", "-t", dir.resolve("ovs-vswitchd.ctl").toString(), "exit", "--cleanup"),
                Duration.ofSeconds(10));
        }
        if (Files.exists(dir.resolve("ovsdb-server.ctl"))) {
            Cmd.run(List.of("ovs-appctl", "-t", dir.resolve("ovsdb-server.ctl").toString(), "exit"),
                Duration.ofSeconds(10));
        }
    }
}
