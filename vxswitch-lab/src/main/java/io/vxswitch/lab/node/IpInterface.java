package io.vxswitch.lab.node;

import io.vxswitch.lab.engine.Endpoint;
import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.packet.Arp;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.FrameMeta;
import io.vxswitch.packet.FrameParser;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;
import io.vxswitch.packet.Malformation;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * One IPv4 interface of a router, or the underlay NIC of a VTEP host: a NIC with a MAC and an address on a
 * connected subnet. It answers ARP for its own address and learns the requester (RFC 826), resolves next
 * hops through a Linux-like {@link NeighbourTable} (packets wait in its queue meanwhile), and hands every
 * IPv4 packet with a sound header that is addressed to its MAC (or broadcast) to its owner, which decides
 * whether to take it or route it. Tagged frames are not taken: the interface has no VLAN sub-interfaces.
 */
public final class IpInterface {
    /** The owner's IPv4 input. */
    @FunctionalInterface
    public interface Ipv4Input {
        /**
         * An IPv4 packet arrived on {@code in}: its header starts at {@code ip} in {@code frame}, its version,
         * lengths and header checksum are valid.
         */
        void receive(IpInterface in, byte[] frame, int ip);
    }

    private static final int ARP_FRAME = Ethernet.HEADER_LENGTH + Arp.LENGTH;

    private final String owner;
    private final String name;
    private final long mac;
    private final int ip;
    private final int prefixLength;
    private final NeighbourTable neighbours;
    private final Ipv4Input input;
    private final FrameMeta meta = new FrameMeta();
    private final HostCounters counters = new HostCounters();
    private Endpoint nic;

    /**
     * @param owner the node, for messages and link names ({@code router:gi0/0})
     * @param name  the interface name
     */
    public IpInterface(Simulator simulator, String owner, String name, long mac, int ip, int prefixLength,
                       Ipv4Input input) {
        if (!MacAddress.isUnicast(mac)) {
            throw new IllegalArgumentException(owner + " interface " + name + ": MAC " + MacAddress.format(mac)
                + " is a group address; an interface needs a unicast MAC");
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException(owner + " interface " + name + ": prefix length must be 0-32, got "
                + prefixLength);
        }
        this.owner = owner;
        this.name = name;
        this.mac = mac;
        this.ip = ip;
        this.prefixLength = prefixLength;
        this.input = input;
        this.neighbours = new NeighbourTable(simulator, this::solicit, this::transmit);
    }

    public String name() {
        return name;
    }

    public long mac() {
        return mac;
    }

    public int ip() {
        return ip;
    }

    public int prefixLength() {
        return prefixLength;
    }

    public HostCounters counters() {
        return counters;
    }

    /** The ARP cache of this interface, as {@code ip neigh show dev NAME} lists it. */
    public List<Neighbour> neighbours() {
        return neighbours.entries();
    }

    /** Plugs the interface into one end of a link. */
    public void plugInto(Endpoint endpoint) {
        if (nic != null) {
            throw new IllegalStateException(owner + " interface " + name + " is already plugged into " + nic.name());
        }
        endpoint.attach(this::receive);
        nic = endpoint;
    }

    /** True if {@code address} is in this interface's connected subnet. */
    public boolean onLink(int address) {
        return Prefixes.contains(ip, prefixLength, address);
    }

    /** The MAC of {@code nextHop} if ARP has resolved it, else {@link Neighbour#NO_MAC}. */
    public long resolvedMac(int nextHop) {
        return neighbours.resolvedMac(nextHop);
    }

    /**
     * Sends an Ethernet/IPv4 frame to {@code nextHop} on this interface: the source MAC is set to this
     * interface's, the destination to the next hop's, now or once ARP resolved it. If resolution fails,
     * {@code unreachable} runs.
     */
    public void output(int nextHop, byte[] frame, Runnable unreachable) {
        Ethernet.src(MemorySegment.ofArray(frame), 0, mac);
        neighbours.output(nextHop, frame, unreachable);
    }

    void receive(byte[] frame) {
        counters.count(HostCounter.RX_FRAMES);
        MemorySegment s = MemorySegment.ofArray(frame);
        if (FrameParser.parse(s, 0, frame.length, meta) != Malformation.NONE || meta.tagged() || meta.serviceTagged()) {
            counters.count(HostCounter.RX_DROPPED);
            return;
        }
        if (meta.dst() != mac && !MacAddress.isBroadcast(meta.dst())) {
            counters.count(HostCounter.RX_NOT_FOR_US);
            return;
        }
        switch (meta.etherType()) {
            case EtherType.ARP -> arpInput(s, meta.payloadPosition(), meta.payloadLength());
            case EtherType.IPV4 -> ipv4Input(s, frame, (int) meta.payloadPosition(), meta.payloadLength());
            default -> counters.count(HostCounter.RX_DROPPED);
        }
    }

    private void arpInput(MemorySegment s, long arp, int length) {
        if (length < Arp.LENGTH || !Arp.isEthernetIpv4(s, arp)) {
            counters.count(HostCounter.RX_DROPPED);
            return;
        }
        int spa = Arp.spa(s, arp);
        long sha = Arp.sha(s, arp);
        if (Arp.tpa(s, arp) != ip) {
            neighbours.refreshIfKnown(spa, sha);
            return;
        }
        neighbours.confirm(spa, sha); // RFC 826: the target learns the sender, then answers a request
        if (Arp.oper(s, arp) == Arp.REQUEST) {
            byte[] reply = new byte[ARP_FRAME];
            FrameBuilder.arpReply(MemorySegment.ofArray(reply), 0, mac, ip, sha, spa);
            counters.count(HostCounter.ARP_REPLIES_SENT);
            transmit(reply);
        }
    }

    private void ipv4Input(MemorySegment s, byte[] frame, int ipHeader, int available) {
        if (available < Ipv4.MIN_HEADER_LENGTH || Ipv4.version(s, ipHeader) != Ipv4.VERSION) {
            counters.count(HostCounter.RX_DROPPED);
            return;
        }
        int headerLength = Ipv4.headerLength(s, ipHeader);
        int total = Ipv4.totalLength(s, ipHeader);
        if (headerLength < Ipv4.MIN_HEADER_LENGTH || total < headerLength || total > available
            || !Ipv4.headerChecksumValid(s, ipHeader)) {
            counters.count(HostCounter.RX_DROPPED); // RFC 1812 §5.2.2: a router silently discards a bad header
            return;
        }
        input.receive(this, frame, ipHeader);
    }

    private void solicit(int target) {
        byte[] request = new byte[ARP_FRAME];
        FrameBuilder.arpRequest(MemorySegment.ofArray(request), 0, mac, ip, target);
        counters.count(HostCounter.ARP_REQUESTS_SENT);
        transmit(request);
    }

    private void transmit(byte[] frame) {
        counters.count(HostCounter.TX_FRAMES);
        if (nic != null) {
            nic.send(frame);
        }
    }

    @Override
    public String toString() {
        return owner + ":" + name + " (" + MacAddress.format(mac) + ", " + Ipv4Address.format(ip) + "/" + prefixLength
            + ")";
    }
}
