package io.vxswitch.lab.node;

import io.vxswitch.lab.engine.Endpoint;
import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.packet.Arp;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.FrameMeta;
import io.vxswitch.packet.FrameParser;
import io.vxswitch.packet.Icmp;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;
import io.vxswitch.packet.Malformation;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A VM or workstation: one NIC with a MAC and an IPv4 address on a directly connected subnet, and the
 * smallest IP stack that makes {@code ping} behave as on Linux: ARP (answers for its own address, resolves
 * next hops through a {@link NeighbourTable}), ICMP echo reply, and echo sockets for ping. No routing: only
 * the on-link subnet is reachable.
 */
public final class Host {
    /** Destination Host Unreachable, as ping prints an ICMP type 3 code 1 error. */
    public static final String HOST_UNREACHABLE = "Destination Host Unreachable";
    /** Delivery time of a packet a host sends to its own address over loopback. */
    static final long LOOPBACK_NANOS = 10_000;

    private final Simulator simulator;
    private final String name;
    private final long mac;
    private final int ip;
    private final int prefixLength;
    private final NeighbourTable neighbours;
    private final Map<Integer, EchoListener> echoSockets = new LinkedHashMap<>();
    private final FrameMeta meta = new FrameMeta();
    private final HostCounters counters = new HostCounters();
    private Endpoint nic;
    private int nextEchoId = 1;

    public Host(Simulator simulator, String name, long mac, int ip, int prefixLength) {
        if (!MacAddress.isUnicast(mac)) {
            throw new IllegalArgumentException("host '" + name + "': MAC " + MacAddress.format(mac)
                + " is a group address; a NIC needs a unicast MAC");
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("host '" + name + "': prefix length must be 0-32, got " + prefixLength);
        }
        this.simulator = simulator;
        this.name = name;
        this.mac = mac;
        this.ip = ip;
        this.prefixLength = prefixLength;
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

    public Simulator simulator() {
        return simulator;
    }

    public HostCounters counters() {
        return counters;
    }

    /** Plugs the NIC into one end of a link. */
    public void plugInto(Endpoint endpoint) {
        if (nic != null) {
            throw new IllegalStateException("host '" + name + "' has one NIC, already plugged into " + nic.name());
        }
        endpoint.attach(this::receive);
        nic = endpoint;
    }

    /** True if {@code address} lies in this host's subnet (or is its own), so it can be reached without a router. */
    public boolean onLink(int address) {
        if (address == ip) {
            return true;
        }
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return (address & mask) == (ip & mask);
    }

    /** The ARP cache, as {@code ip neigh} would list it. */
    public List<Neighbour> neighbours() {
        return neighbours.entries();
    }

    /** Opens a ping socket; returns the ICMP identifier its echo requests carry. */
    public int openEchoSocket(EchoListener listener) {
        int id = nextEchoId++;
        echoSockets.put(id, listener);
        return id;
    }

    public void closeEchoSocket(int id) {
        echoSockets.remove(id);
    }

    /** Sends an ICMP echo request with Linux ping's defaults (56 data bytes, TTL 64). */
    public void sendEcho(int destination, int id, int seq) {
        byte[] frame = new byte[FrameSizes.ECHO_FRAME];
        FrameBuilder.icmpEcho(MemorySegment.ofArray(frame), 0, mac, 0, ip, destination, true, id, seq);
        counters.count(HostCounter.ECHO_REQUESTS_SENT);
        EchoListener socket = echoSockets.get(id);
        ipOutput(destination, frame, () -> {
            if (socket != null && echoSockets.get(id) == socket) {
                socket.error(seq, ip, HOST_UNREACHABLE);
            }
        });
    }

    // ---- input

    void receive(byte[] frame) {
        counters.count(HostCounter.RX_FRAMES);
        MemorySegment s = MemorySegment.ofArray(frame);
        if (FrameParser.parse(s, 0, frame.length, meta) != Malformation.NONE || meta.tagged() || meta.serviceTagged()) {
            counters.count(HostCounter.RX_DROPPED); // a NIC without VLAN sub-interfaces does not take tagged frames
            return;
        }
        if (meta.dst() != mac && !MacAddress.isBroadcast(meta.dst())) {
            counters.count(HostCounter.RX_NOT_FOR_US);
            return;
        }
        switch (meta.etherType()) {
            case EtherType.ARP -> arpInput(s, meta.payloadPosition(), meta.payloadLength());
            case EtherType.IPV4 -> ipInput(s, meta.payloadPosition(), meta.payloadLength());
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
        boolean forUs = Arp.tpa(s, arp) == ip;
        if (!forUs) {
            neighbours.refreshIfKnown(spa, sha);
            return;
        }
        // RFC 826: the target learns the sender's binding, then answers a request.
        neighbours.confirm(spa, sha);
        if (Arp.oper(s, arp) == Arp.REQUEST) {
            byte[] reply = new byte[FrameSizes.ARP_FRAME];
            FrameBuilder.arpReply(MemorySegment.ofArray(reply), 0, mac, ip, sha, spa);
            counters.count(HostCounter.ARP_REPLIES_SENT);
            transmit(reply);
        }
    }

    private void ipInput(MemorySegment s, long ipHeader, int length) {
        if (length < Ipv4.MIN_HEADER_LENGTH || Ipv4.version(s, ipHeader) != Ipv4.VERSION) {
            counters.count(HostCounter.RX_DROPPED);
            return;
        }
        int headerLength = Ipv4.headerLength(s, ipHeader);
        int total = Ipv4.totalLength(s, ipHeader);
        if (headerLength < Ipv4.MIN_HEADER_LENGTH || total > length || total < headerLength
            || Ipv4.dst(s, ipHeader) != ip) {
            counters.count(HostCounter.RX_DROPPED);
            return;
        }
        if (Ipv4.protocol(s, ipHeader) != Ipv4.PROTOCOL_ICMP) {
            counters.count(HostCounter.RX_DROPPED);
            return;
        }
        long icmp = ipHeader + headerLength;
        int icmpLength = total - headerLength;
        if (icmpLength < Icmp.HEADER_LENGTH || !Icmp.checksumValid(s, icmp, icmpLength)) {
            counters.count(HostCounter.RX_DROPPED);
            return;
        }
        int src = Ipv4.src(s, ipHeader);
        switch (Icmp.type(s, icmp)) {
            case Icmp.ECHO_REQUEST -> echoReply(s, icmp, icmpLength, src);
            case Icmp.ECHO_REPLY -> {
                EchoListener socket = echoSockets.get(Icmp.identifier(s, icmp));
                if (socket != null) {
                    counters.count(HostCounter.ECHO_REPLIES_RECEIVED);
                    socket.reply(Icmp.sequence(s, icmp), src, Ipv4.ttl(s, ipHeader), icmpLength);
                }
            }
            default -> counters.count(HostCounter.RX_DROPPED);
        }
    }

    private void echoReply(MemorySegment s, long icmp, int icmpLength, int requester) {
        MemorySegment data = s.asSlice(icmp + Icmp.HEADER_LENGTH, icmpLength - Icmp.HEADER_LENGTH);
        byte[] reply = new byte[FrameSizes.IPV4_ICMP_HEADERS + icmpLength];
        FrameBuilder.icmpEcho(MemorySegment.ofArray(reply), 0, mac, 0, ip, requester, false,
            Icmp.identifier(s, icmp), Icmp.sequence(s, icmp), Ipv4.DEFAULT_TTL, data);
        counters.count(HostCounter.ECHO_REPLIES_SENT);
        ipOutput(requester, reply, () -> { });
    }

    // ---- output

    private void ipOutput(int destination, byte[] frame, Runnable unreachable) {
        if (destination == ip) {
            Ethernet.dst(MemorySegment.ofArray(frame), 0, mac);
            simulator.after(LOOPBACK_NANOS, () -> receive(frame));
            return;
        }
        if (!onLink(destination)) {
            unreachable.run(); // no routes in the lab: only the connected subnet
            return;
        }
        neighbours.output(destination, frame, unreachable);
    }

    private void solicit(int target) {
        byte[] request = new byte[FrameSizes.ARP_FRAME];
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
        return name + " (" + MacAddress.format(mac) + ", " + Ipv4Address.format(ip) + "/" + prefixLength + ")";
    }

    /** Frame sizes this host builds: unpadded, as a virtual NIC hands them over. */
    private static final class FrameSizes {
        static final int ARP_FRAME = Ethernet.HEADER_LENGTH + Arp.LENGTH;
        static final int IPV4_ICMP_HEADERS = Ethernet.HEADER_LENGTH + Ipv4.MIN_HEADER_LENGTH;
        static final int ECHO_FRAME = IPV4_ICMP_HEADERS + Icmp.HEADER_LENGTH + FrameBuilder.PING_PAYLOAD_LENGTH;
    }
}
