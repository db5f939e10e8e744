package io.vxswitch.app.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A BGP EVPN fabric for integration tests: one underlay segment (bridge br0 in namespace "underlay",
 * 192.0.2.0/24), a route reflector at 192.0.2.254 (GoBGP or FRR, in namespace "rr"), and hosts added one by one, each
 * a namespace with ul0 on the segment that becomes a client of the reflector as it is added:
 * <pre>
 *   hostC 192.0.2.3 (FRR, vm3)   hostD 192.0.2.4 (FRR, vm4)   hostA 192.0.2.1 (vxswitch)   rr 192.0.2.254
 *        ul0                          ul0                          ul0                        ul0
 *         +------------------------------+--------- br0 (underlay) ---+---------------------------+
 * </pre>
 * Every speaker is in AS {@value #ASN}; VNI {@value #VNI} is the overlay. A vxswitch host is {@link #host} plus
 * {@link Daemon#start} with an {@code evpn:} section whose neighbor is {@link #REFLECTOR} in {@link #ASN}.
 */
final class EvpnFabric {
    static final long ASN = 65000;
    static final int VNI = 119;
    static final String REFLECTOR = "192.0.2.254";

    /** A route reflector the fabric can add clients to while it runs. */
    interface Reflector {
        void addClient(String address);

        boolean established(String client);

        /** What it knows, for failure messages. */
        String state();
    }

    /** An FRR EVPN host: its namespace, FRR, and the VM behind its kernel VTEP. */
    record FrrHost(Netns host, String address, Frr frr, Netns vm) {
    }

    private final Lab lab;
    private final Netns underlay;
    private final Netns rr;
    private Reflector reflector;
    private final List<String> clients = new ArrayList<>();
    private final List<Frr> frrs = new ArrayList<>();

    private EvpnFabric(Lab lab) {
        this.lab = lab;
        this.underlay = lab.netns("underlay");
        underlay.ip("link add br0 type bridge");
        underlay.ip("link set br0 up");
        this.rr = attach("rr", REFLECTOR);
    }

    /** The underlay and gobgpd as the reflector (skips the test without GoBGP or ethtool). */
    static EvpnFabric withGobgpReflector(Lab lab) {
        Gobgp.assumeInstalled("an EVPN fabric with a GoBGP reflector");
        Tools.assume("an EVPN fabric", "ethtool", "ss");
        EvpnFabric f = new EvpnFabric(lab);
        f.reflector = Gobgp.routeReflector(lab, f.rr, ASN, REFLECTOR, List.of());
        return f;
    }

    /** The underlay and FRR's bgpd as the reflector (skips the test without FRR or ethtool). */
    static EvpnFabric withFrrReflector(Lab lab) {
        Frr.assumeInstalled("an EVPN fabric with an FRR reflector");
        Tools.assume("an EVPN fabric", "ethtool");
        EvpnFabric f = new EvpnFabric(lab);
        f.reflector = Frr.routeReflector(lab, f.rr, ASN, REFLECTOR, List.of());
        return f;
    }

    /**
     * A new host namespace {@code role} on the underlay with ul0 = {@code address}/24 (offloads off, so that a
     * kernel VTEP's VXLAN reaches a userspace one with finished checksums), made a client of the reflector.
     */
    Netns host(String role, String address) {
        Netns host = attach(role, address);
        host.offloadsOff("ul0");
        reflector.addClient(address);
        clients.add(address);
        return host;
    }

    /**
     * An FRR EVPN host: {@link #host}, then bridge br0 + vxlan119 (nolearning) with VM {@code vmRole} ({@code
     * vmCidr}, {@code vmMac}) behind it, then zebra + bgpd peering with the reflector.
     */
    FrrHost frrHost(String role, String address, String vmRole, String vmCidr, String vmMac) {
        Frr.assumeInstalled("an FRR EVPN host");
        Netns host = host(role, address);
        Netns vm = lab.vmBehindEvpnVtep(host, VNI, address, vmRole, vmCidr, vmMac);
        Frr frr = Frr.evpnHost(lab, host, ASN, address, List.of(REFLECTOR));
        frrs.add(frr);
        return new FrrHost(host, address, frr, vm);
    }

    /** A namespace {@code role} whose ul0 ({@code address}/24) is a veth into the underlay bridge. */
    private Netns attach(String role, String address) {
        Netns ns = lab.netns(role);
        String port = "p-" + role;
        if (port.length() > 15) {
            throw new IllegalArgumentException("role '" + role + "' is too long for an interface name (11 chars max)");
        }
        lab.veth(underlay, port, ns, "ul0", 1500);
        underlay.ip("link set " + port + " master br0");
        ns.ip("addr add " + address + "/24 dev ul0");
        return ns;
    }

    Netns underlay() {
        return underlay;
    }

    Netns reflectorNetns() {
        return rr;
    }

    Reflector reflector() {
        return reflector;
    }

    /** The reflector as the {@code kind} it is ({@link Gobgp} or {@link Frr}), to drive it with its own CLI. */
    <R extends Reflector> R reflector(Class<R> kind) {
        if (!kind.isInstance(reflector)) {
            throw new IllegalStateException("this fabric's reflector is " + reflector.getClass().getSimpleName()
                + ", not " + kind.getSimpleName());
        }
        return kind.cast(reflector);
    }

    /** Waits until the reflector's session with each of {@code clients} (all hosts if none given) is Established. */
    void awaitSessions(Duration timeout, String... clients) {
        List<String> wanted = clients.length == 0 ? List.copyOf(this.clients) : List.of(clients);
        Poll.until("the reflector Established with " + wanted, timeout,
            () -> wanted.stream().map(c -> c + (reflector.established(c) ? " Established" : " down"))
                .collect(Collectors.joining("\n")),
            out -> !out.contains(" down"), this::state);
    }

    /** What the reflector and every FRR host know, and every lab process's output, for failure messages. */
    String state() {
        StringBuilder sb = new StringBuilder(reflector.state());
        frrs.forEach(f -> sb.append(f.state()));
        return sb.append(lab.diagnostics()).toString();
    }
}
