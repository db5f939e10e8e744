package io.vxswitch.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * GoBGP 3.x ({@code gobgpd}) as an EVPN route reflector inside one namespace, started by the test as a lab process
 * with its config in the lab's folder. It speaks BGP on {@code address} (its router id and cluster id too) and serves
 * its gRPC API on 127.0.0.1 inside the namespace, at the first free port from 50051, for the {@code gobgp} CLI run in
 * the same namespace. Neighbors are active with a 2 s connect retry, keepalive 3 s, hold 9 s. Clients added later
 * ({@link #addClient}) go into the config file, which gobgpd reloads on SIGHUP.
 */
final class Gobgp implements EvpnFabric.Reflector {
    static final String[] PROGRAMS = {"gobgpd", "gobgp"};
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Netns ns;
    private final Path config;
    private final long asn;
    private final String address;
    private final int apiPort;
    private final List<String> clients = new ArrayList<>();
    private Background process;

    private Gobgp(Netns ns, Path config, long asn, String address, int apiPort) {
        this.ns = ns;
        this.config = config;
        this.asn = asn;
        this.address = address;
        this.apiPort = apiPort;
    }

    /** Skips the test unless gobgpd and gobgp are installed. */
    static void assumeInstalled(String why) {
        Tools.assume(why, PROGRAMS);
    }

    /**
     * gobgpd in {@code ns} on {@code address} (an address of the namespace), AS {@code asn}, each of {@code clients}
     * an iBGP route-reflector client for {@code l2vpn-evpn}. Returns once its API lists every client.
     */
    static Gobgp routeReflector(Lab lab, Netns ns, long asn, String address, List<String> clients) {
        Gobgp g = new Gobgp(ns, lab.dir().resolve("gobgpd-" + ns.name() + ".toml"), asn, address, freeApiPort(ns));
        g.clients.addAll(clients);
        g.writeConfig();
        g.process = lab.spawn("gobgpd in " + ns.name(), ns, "gobgpd", "-f", g.config.toString(), "--log-plain",
            "--api-hosts", "127.0.0.1:" + g.apiPort, "--pprof-disable");
        g.process.awaitOutput(out -> out.contains("gobgpd started"), "'gobgpd started'", START_TIMEOUT);
        g.awaitNeighbors();
        return g;
    }

    /** The first port from 50051 nothing listens on in {@code ns} (a new namespace: 50051). */
    private static int freeApiPort(Netns ns) {
        String listening = ns.exec("ss", "-Htln");
        int port = 50051;
        while (listening.contains("127.0.0.1:" + port + " ") || listening.contains("*:" + port + " ")) {
            port++;
        }
        return port;
    }

    /** One more route-reflector client: written into the config, which gobgpd reloads on SIGHUP. */
    @Override
    public void addClient(String client) {
        clients.add(client);
        writeConfig();
        process.signal("HUP");
        awaitNeighbors();
    }

    private void awaitNeighbors() {
        Poll.until("gobgpd in " + ns + " lists its neighbors " + clients, START_TIMEOUT,
            () -> tryGobgp("neighbor").out(), out -> clients.stream().allMatch(c -> out.contains(c + " ")),
            this::state);
    }

    private void writeConfig() {
        StringBuilder c = new StringBuilder("""
            [global.config]
              as = %d
              router-id = "%s"
              local-address-list = ["%s"]
            """.formatted(asn, address, address));
        for (String client : clients) {
            c.append("""
                [[neighbors]]
                  [neighbors.config]
                    neighbor-address = "%s"
                    peer-as = %d
                  [neighbors.transport.config]
                    local-address = "%s"
                  [neighbors.timers.config]
                    connect-retry = 2
                    hold-time = 9
                    keepalive-interval = 3
                  [neighbors.route-reflector.config]
                    route-reflector-client = true
                    route-reflector-cluster-id = "%s"
                  [[neighbors.afi-safis]]
                    [neighbors.afi-safis.config]
                      afi-safi-name = "l2vpn-evpn"
                """.formatted(client, asn, address, address));
        }
        try {
            Files.writeString(config, c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code gobgp -p PORT ARGS} inside the namespace; must succeed; returns what it printed. */
    String gobgp(String... args) {
        return tryGobgp(args).check().out();
    }

    Cmd.Result tryGobgp(String... args) {
        List<String> c = new ArrayList<>(List.of("gobgp", "-p", Integer.toString(apiPort)));
        c.addAll(Arrays.asList(args));
        return ns.run(c.toArray(String[]::new));
    }

    /** True if the session to {@code neighbor} is Established ({@code gobgp neighbor}: "ADDRESS AS UP/DOWN Establ"). */
    @Override
    public boolean established(String neighbor) {
        return tryGobgp("neighbor").out().lines()
            .anyMatch(l -> l.startsWith(neighbor + " ") && l.contains(" Establ "));
    }

    /** What gobgpd knows, for failure messages: neighbors, the EVPN RIB, its log. */
    @Override
    public String state() {
        StringBuilder sb = new StringBuilder("\n----- gobgpd in ").append(ns).append('\n');
        for (String[] args : List.of(new String[] {"neighbor"}, new String[] {"global", "rib", "-a", "evpn"})) {
            Cmd.Result r = tryGobgp(args);
            sb.append("# gobgp ").append(String.join(" ", args)).append('\n').append(r.out()).append(r.err());
        }
        if (process != null) {
            String out = process.output();
            sb.append("----- ").append(process.label()).append('\n')
                .append(out.length() > 4000 ? "...\n" + out.substring(out.length() - 4000) : out);
        }
        return sb.toString();
    }
}
