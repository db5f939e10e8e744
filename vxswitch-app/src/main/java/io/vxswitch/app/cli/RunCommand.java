package io.vxswitch.app.cli;

import io.vxswitch.app.daemon.DaemonConfig;
import io.vxswitch.app.daemon.DaemonConfigParser;
import io.vxswitch.app.daemon.HostSwitch;
import io.vxswitch.app.daemon.HostSwitchException;
import io.vxswitch.app.daemon.PortConfig;
import io.vxswitch.app.daemon.SwitchReport;
import io.vxswitch.config.ConfigException;
import io.vxswitch.config.FileErrors;
import io.vxswitch.linux.ServiceNotifier;
import io.vxswitch.linux.dataplane.Dataplane;
import io.vxswitch.linux.dataplane.TapReadMode;
import io.vxswitch.mgmt.ApiServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/** {@code vxswitch run}: the host switch daemon on real TAP devices, interfaces and VXLAN sockets. */
@Command(name = "run",
    mixinStandardHelpOptions = true,
    description = {
        "Run a host switch on this machine: TAP ports for VMs or namespaces, existing interfaces as uplinks,",
        "VXLAN tunnels to remote VTEPs (Linux vxlan devices, Open vSwitch, other vxswitches).",
        "Needs CAP_NET_ADMIN (run as root). Stops cleanly on Ctrl-C or SIGTERM: the TAP devices it created go away.",
        "The config format is in docs/config.md; 'vxswitch run --check' only validates it."},
    footer = {"", "Example:", "  sudo vxswitch run --config switch.yaml"})
public final class RunCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Switch config (YAML).")
    Path config;

    @Option(names = "--check", description = "Validate the config and print the ports it describes, then exit.")
    boolean check;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        DaemonConfig cfg;
        try {
            cfg = DaemonConfigParser.read(config);
        } catch (IOException e) {
            throw new UserException("cannot read " + config + ": " + FileErrors.reason(e), e);
        } catch (ConfigException e) {
            throw new UserException(e.getMessage(), e);
        }
        if (check) {
            out.println(config + ": ok: switch " + cfg.name() + ", " + cfg.portGroups().size() + " port groups, "
                + cfg.ports().size() + " ports, " + cfg.tunnels().size() + " tunnels"
                + (cfg.mirrors().isEmpty() ? "" : ", " + cfg.mirrors().size() + " mirror sessions"));
            out.flush();
            return 0;
        }
        // systemd's Type=notify (packaging/vxswitch.service): READY once everything is open, STOPPING on SIGTERM
        ServiceNotifier systemd = ServiceNotifier.fromEnvironment(line -> log(out, line));
        HostSwitch hs;
        try {
            hs = HostSwitch.start(cfg, config, line -> log(out, line));
        } catch (HostSwitchException e) {
            throw new UserException(e.getMessage(), e);
        }
        log(out, "switch " + cfg.name() + " started with " + hs.summary().size() + " ports, "
            + (hs.dataplane().loops() > 1 ? hs.dataplane().loops() + " forwarding loops, each switching and sending"
                : hs.dataplane().threads() == Dataplane.Threads.TWO ? "a switch loop and a sender loop"
                : "one loop for switching and sending"));
        for (String line : hs.summary()) {
            log(out, line);
        }
        if (cfg.placement().tapReads() == TapReadMode.AUTO
            && cfg.ports().stream().anyMatch(p -> p.type() == PortConfig.Type.TAP)) {
            String why = TapReadMode.whyNotRing();
            if (why != null) { // each tap line says "(io_uring reads)" otherwise
                log(out, "tap reads: read(2), a system call per frame, as io_uring cannot read taps here: " + why
                    + " (switch.tapReads: read says so and drops this line)");
            }
        }
        for (String line : hs.mirrorSummary()) {
            log(out, line);
        }
        if (hs.evpnSummary() != null) {
            log(out, hs.evpnSummary());
        }
        if (hs.ipfixSummary() != null) {
            log(out, hs.ipfixSummary());
        }
        ApiServer api = startApi(cfg, hs, out);
        DaemonStop stop = new DaemonStop(() -> {
            systemd.stopping("stopping: removing devices");
            log(out, "stopping: removing devices");
            if (api != null) {
                api.close();
            }
            hs.close();
            // The loop has ended: the switch can be read from here. Until the management API comes, this is
            // where an operator sees what the switch learned and dropped.
            out.print(SwitchReport.render(hs.switchInstance(), System.nanoTime()));
            log(out, "stopped");
        });
        stop.install();
        // after install: a SIGTERM right after READY=1 still sends STOPPING=1
        systemd.ready("switch " + cfg.name() + ": " + hs.summary().size() + " ports, "
            + (api == null ? "API off" : "API on " + cfg.api().host() + ":" + api.port()));
        hs.join();
        // the loops end only when the stop has begun; wait for the rest of it (the API, the devices, the report)
        return stop.run() ? 0 : 1;
    }

    private static ApiServer startApi(DaemonConfig cfg, HostSwitch hs, PrintWriter out) {
        if (cfg.api() == null) {
            log(out, "management API off (api: off in the config)");
            return null;
        }
        try {
            ApiServer api = ApiServer.start(cfg.api(), hs.managed(), line -> log(out, line));
            log(out, "management API on http://" + cfg.api().host() + ":" + api.port() + "/api/v1 (token in "
                + cfg.api().tokenFile() + ")");
            if (!cfg.api().onLoopback()) { // the config asked for it (and set a token), but it should not go unsaid
                log(out, "the management API listens on " + cfg.api().host() + ", not on loopback: other hosts can "
                    + "reach it, and only the token (api.token) keeps them out; api.listen: 127.0.0.1:" + api.port()
                    + " keeps it on this host");
            }
            if (ApiOptionsCheck.loopbackDown(cfg.api())) {
                log(out, "warning: the API listens on " + cfg.api().host() + " but 'lo' is down in this network"
                    + " namespace, so nothing can reach it: ip link set lo up");
            }
            return api;
        } catch (RuntimeException e) {
            hs.close();
            throw new UserException(e.getMessage(), e);
        }
    }

    private static void log(PrintWriter out, String line) {
        synchronized (out) {
            out.println(LocalTime.now().format(TIME) + " " + line);
            out.flush();
        }
    }
}
