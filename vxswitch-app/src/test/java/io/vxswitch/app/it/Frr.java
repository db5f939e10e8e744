package io.vxswitch.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * FRR (checked with 8.4) started by the test inside one namespace, never as the system service: zebra and bgpd run in
 * the foreground as lab processes, as the {@code frr} user, with every socket, pid file and config in their own folder
 * of the lab ({@code -z DIR/zserv.api --vty_socket DIR -i DIR/NAME.pid -P 0}: no vty TCP port), and {@code vtysh
 * --vty_socket DIR} talks to them. Two shapes:
 * <ul>
 * <li>{@link #evpnHost}: zebra + bgpd with {@code advertise-all-vni}, the EVPN host of RFC 8365 - zebra reads the
 *     VNIs and local MACs from the namespace's bridge and vxlan devices and installs what bgpd learns (type-3: a
 *     flood entry {@code 00:00:00:00:00:00 dst VTEP}; type-2: {@code MAC dst VTEP extern_learn});</li>
 * <li>{@link #routeReflector}: bgpd alone ({@code -Z}: no zebra; it then takes every next hop as reachable, which is
 *     what a reflector that forwards no traffic needs; its log says {@code zclient_send_message() failed} for each
 *     next hop, harmlessly).</li>
 * </ul>
 * Timers are short for tests: keepalive 3 s, hold 9 s, connect retry 2 s; from an empty fabric to Established takes
 * 3 to 6 s here.
 */
final class Frr implements EvpnFabric.Reflector {
    static final Path ZEBRA = Path.of("/usr/lib/frr/zebra");
    static final Path BGPD = Path.of("/usr/lib/frr/bgpd");
    static final int KEEPALIVE = 3;
    static final int HOLD = 9;
    static final int CONNECT_RETRY = 2;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Netns ns;
    private final Path dir;
    private final long asn;
    private final boolean reflector;
    private final List<Background> daemons = new ArrayList<>();

    private Frr(Netns ns, Path dir, long asn, boolean reflector) {
        this.ns = ns;
        this.dir = dir;
        this.asn = asn;
        this.reflector = reflector;
    }

    /** Skips the test unless FRR's zebra, bgpd and vtysh and the {@code frr} user are there. */
    static void assumeInstalled(String why) {
        Tools.assume(why, "vtysh");
        for (Path daemon : List.of(ZEBRA, BGPD)) {
            assumeTrue(Files.isExecutable(daemon), why + " needs FRR's " + daemon + ", which is not installed "
                + "(apt-get install frr, as in .ci/run) - skipped");
        }
        assumeTrue(Cmd.run(List.of("id", "frr")).ok(), why + " needs the user 'frr' that FRR's daemons run as "
            + "(created by apt-get install frr) - skipped");
    }

    /**
     * An EVPN host in {@code ns} (which must already have its bridge and vxlan devices, see
     * {@link Lab#vmBehindEvpnVtep}): zebra + bgpd in AS {@code asn}, iBGP to each of {@code neighbors} with
     * {@code address-family l2vpn evpn} and {@code advertise-all-vni}. Returns once both daemons answer vtysh.
     */
    static Frr evpnHost(Lab lab, Netns ns, long asn, String routerId, List<String> neighbors) {
        return start(lab, ns, asn, routerId, neighbors, false);
    }

    /**
     * A route reflector in {@code ns}: bgpd alone in AS {@code asn}, cluster id {@code routerId}, each of
     * {@code clients} an iBGP {@code route-reflector-client} in {@code l2vpn evpn}; more with {@link #addClient}.
     */
    static Frr routeReflector(Lab lab, Netns ns, long asn, String routerId, List<String> clients) {
        return start(lab, ns, asn, routerId, clients, true);
    }

    private static Frr start(Lab lab, Netns ns, long asn, String routerId, List<String> neighbors, boolean reflector) {
        Path dir = lab.dir().resolve("frr-" + ns.name());
        Frr frr = new Frr(ns, dir, asn, reflector);
        try {
            // the daemons drop to user frr: it must be able to reach its folder through the lab's (mode 700)
            Files.setPosixFilePermissions(lab.dir(), PosixFilePermissions.fromString("rwx--x--x"));
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("zebra.conf"), "hostname " + ns.name() + "\ndebug zebra vxlan\n");
            Files.writeString(dir.resolve("bgpd.conf"), frr.bgpdConf(routerId, neighbors));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Cmd.run(List.of("chown", "-R", "frr:frr", dir.toString())).check();
        if (!reflector) {
            frr.daemon(lab, "zebra", ZEBRA, "zserv.api");
            frr.daemon(lab, "bgpd", BGPD, "bgpd.vty");
        } else {
            frr.daemon(lab, "bgpd", BGPD, "bgpd.vty", "-Z");
        }
        Poll.until("bgpd in " + ns + " has read its config", START_TIMEOUT,
            () -> frr.tryVtysh("show running-config").out(), out -> out.contains("router bgp " + asn), frr::logs);
        return frr;
    }

    /** Starts {@code name} in the foreground as a lab process; returns once {@code socket} exists in the folder. */
    private void daemon(Lab lab, String name, Path program, String socket, String... extra) {
        List<String> command = new ArrayList<>(List.of(program.toString(), "-z", dir.resolve("zserv.api").toString(),
            "--vty_socket", dir.toString(), "-P", "0", "-f", dir.resolve(name + ".conf").toString(),
            "-i", dir.resolve(name + ".pid").toString(), "--log", "stdout"));
        command.addAll(Arrays.asList(extra));
        Background b = lab.spawn(name + " in " + ns.name(), ns, command.toArray(String[]::new));
        daemons.add(b);
        b.awaitOutput(out -> Files.exists(dir.resolve(socket)), "its socket " + dir.resolve(socket), START_TIMEOUT);
    }

    private String bgpdConf(String routerId, List<String> neighbors) {
        StringBuilder c = new StringBuilder("hostname " + ns.name() + "\ndebug bgp neighbor-events\n");
        c.append("router bgp ").append(asn).append('\n');
        c.append(" bgp router-id ").append(routerId).append('\n');
        if (reflector) {
            c.append(" bgp cluster-id ").append(routerId).append('\n');
        }
        c.append(" no bgp default ipv4-unicast\n no bgp ebgp-requires-policy\n");
        c.append(" timers bgp ").append(KEEPALIVE).append(' ').append(HOLD).append('\n');
        neighbors.forEach(n -> neighborLines(n).forEach(l -> c.append(' ').append(l).append('\n')));
        c.append(" address-family l2vpn evpn\n");
        neighbors.forEach(n -> evpnLines(n).forEach(l -> c.append("  ").append(l).append('\n')));
        if (!reflector) {
            c.append("  advertise-all-vni\n");
        }
        return c.append(" exit-address-family\n").toString();
    }

    private List<String> neighborLines(String address) {
        return List.of("neighbor " + address + " remote-as " + asn,
            "neighbor " + address + " timers connect " + CONNECT_RETRY);
    }

    private List<String> evpnLines(String address) {
        return reflector
            ? List.of("neighbor " + address + " activate", "neighbor " + address + " route-reflector-client")
            : List.of("neighbor " + address + " activate");
    }

    /**
     * A new iBGP neighbor in l2vpn evpn, configured through vtysh while bgpd runs: a route-reflector client on a
     * reflector, a plain neighbor on an EVPN host.
     */
    @Override
    public void addClient(String address) {
        List<String> commands = new ArrayList<>(List.of("configure terminal", "router bgp " + asn));
        commands.addAll(neighborLines(address));
        commands.add("address-family l2vpn evpn");
        commands.addAll(evpnLines(address));
        vtysh(commands.toArray(String[]::new));
    }

    /** {@code vtysh --vty_socket DIR -c C1 -c C2...} (one session: configure terminal carries over); must succeed. */
    String vtysh(String... commands) {
        return tryVtysh(commands).check().out();
    }

    Cmd.Result tryVtysh(String... commands) {
        List<String> c = new ArrayList<>(List.of("vtysh", "--vty_socket", dir.toString()));
        for (String command : commands) {
            c.add("-c");
            c.add(command);
        }
        return Cmd.run(c);
    }

    Netns netns() {
        return ns;
    }

    /** True if the session to {@code neighbor} is Established (from {@code show bgp l2vpn evpn summary json}). */
    @Override
    public boolean established(String neighbor) {
        Cmd.Result r = tryVtysh("show bgp l2vpn evpn summary json");
        return r.ok() && json(r.out()).path("peers").path(neighbor).path("state").asText().equals("Established");
    }

    /** Waits until the session to each of {@code neighbors} is Established. */
    void awaitEstablished(Duration timeout, String... neighbors) {
        Poll.until("FRR in " + ns + " Established with " + String.join(", ", neighbors), timeout,
            () -> tryVtysh("show bgp l2vpn evpn summary").out(),
            out -> Arrays.stream(neighbors).allMatch(this::established), this::state);
    }

    /**
     * The remote VTEPs zebra floods VNI {@code vni}'s BUM traffic to, from its type-3 routes ({@code show evpn vni
     * VNI json}); empty if zebra does not know the VNI.
     */
    List<String> remoteVteps(int vni) {
        Cmd.Result r = tryVtysh("show evpn vni " + vni + " json");
        List<String> vteps = new ArrayList<>();
        if (r.ok()) {
            JsonNode shown = json(r.out());
            // FRR 8.4 lists them as "numRemoteVteps": ["IP"...], later releases as "remoteVteps": [{"ip": ...}]
            for (String field : List.of("remoteVteps", "numRemoteVteps")) {
                for (JsonNode v : shown.path(field)) {
                    vteps.add(v.isTextual() ? v.asText() : v.path("ip").asText());
                }
            }
        }
        return vteps;
    }

    /** Waits until zebra floods VNI {@code vni} to {@code vtep}. */
    void awaitRemoteVtep(int vni, String vtep, Duration timeout) {
        Poll.until("FRR in " + ns + " lists " + vtep + " among VNI " + vni + "'s remote VTEPs", timeout,
            () -> String.join(" ", remoteVteps(vni)), out -> remoteVteps(vni).contains(vtep), this::state);
    }

    /** What this FRR knows, for failure messages: sessions, EVPN routes, VNIs, its daemons' output. */
    @Override
    public String state() {
        StringBuilder sb = new StringBuilder("\n----- FRR in ").append(ns).append('\n');
        List<String> shows = new ArrayList<>(List.of("show bgp l2vpn evpn summary", "show bgp l2vpn evpn"));
        if (!reflector) {
            shows.add("show evpn vni detail");
        }
        for (String show : shows) {
            Cmd.Result r = tryVtysh(show);
            sb.append("# ").append(show).append('\n').append(r.out()).append(r.err());
        }
        return sb.append(logs()).toString();
    }

    private String logs() {
        StringBuilder sb = new StringBuilder();
        for (Background b : daemons) {
            String out = b.output();
            if (out.length() > 4000) {
                out = "...\n" + out.substring(out.length() - 4000);
            }
            sb.append("\n----- ").append(b.label()).append(b.isAlive() ? " (running)" : " (exited)").append('\n')
                .append(out);
        }
        return sb.toString();
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            return new ObjectMapper().createObjectNode();
        }
    }
}
