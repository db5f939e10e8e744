package io.vxswitch.evpn.switching;

import io.vxswitch.evpn.LocalMacs;
import io.vxswitch.forwarding.NeighborSnoop;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.fdb.FdbEntryType;
import io.vxswitch.forwarding.fdb.FdbJournal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tells the EVPN control plane which MACs are local to this host, per VNI: learned, static and vNIC MACs on local ports
 * (not on a tunnel) in the VNI's VLAN, and the addresses local hosts announce in ARP and IPv6
 * neighbour discovery. Polled every 100 ms on the
 * control plane's thread (the daemon's BGP speaker, or the lab's virtual clock): it drains the FDB's journal of learned
 * MACs (RFC 7432 §9.2.1: a MAC learned locally is advertised; aged out, withdrawn) and rescans the table when the
 * journal lost events, when ports were added or removed (vNIC MACs, which the journal does not carry), and every 10 s
 * (static entries added through the API).
 *
 * <p>The rescan reads ports and their port groups from this thread; they are replaced, never changed in place, by
 * the conductor, so at worst a rescan sees a port group one change old and the next one corrects it.
 */
public final class LocalMacFeed implements FdbJournal.Visitor {
    static final long RESCAN_NANOS = 10_000_000_000L;

    /** One EVPN VNI and the VLAN it carries. */
    public record Segment(int vni, int vlan) {
    }

    private final Switch sw;
    private final LocalMacs speaker;
    private final Map<Integer, Integer> vniByVlan = new HashMap<>();
    private final Set<Integer> tunnelPorts;
    /** Set by any thread (a port change, a lost journal event), cleared by the speaker's poll. */
    private volatile boolean rescan = true;
    private long nextRescan;

    public LocalMacFeed(Switch sw, LocalMacs speaker, List<Segment> segments, Set<Integer> tunnelPorts) {
        this.sw = sw;
        this.speaker = speaker;
        for (Segment s : segments) {
            vniByVlan.put(s.vlan(), s.vni());
        }
        this.tunnelPorts = Set.copyOf(tunnelPorts);
    }

    /** Drains the journal and the ARP / ND snoop rings, and rescans when asked: every 100 ms, on the control plane's thread. */
    public void poll() {
        sw.fdb().drainJournal(this);
        for (int lane = 0; lane < sw.options().lanes(); lane++) {
            sw.neighborSnoop(lane).drain(snooped);
        }
        long now = System.nanoTime();
        if (rescan || now - nextRescan >= 0) {
            rescan = false;
            nextRescan = now + RESCAN_NANOS;
            rescan();
        }
    }

    @Override
    public void resync() {
        rescan = true;
    }

    /** From any thread: a port came or went (a vNIC MAC with it); rescan at the next poll. */
    public void rescanSoon() {
        rescan = true;
    }

    @Override
    public void event(FdbJournal.Kind kind, int vlan, long mac, int port, int remote) {
        Integer vni = vniByVlan.get(vlan);
        if (vni == null) {
            return;
        }
        boolean local = !tunnelPorts.contains(port);
        switch (kind) {
            case LEARNED, MOVED -> {
                if (local) {
                    speaker.localMacLearned(vni, mac, false);
                } else if (kind == FdbJournal.Kind.MOVED) {
                    speaker.localMacRemoved(vni, mac); // now behind a remote VTEP
                }
            }
            case REMOVED -> {
                if (local) {
                    speaker.localMacRemoved(vni, mac);
                }
            }
        }
    }

    /** What a local host's ARP or neighbour discovery said (the lanes' snooping): MAC/IP bindings to advertise. */
    private final NeighborSnoop.Visitor snooped = new NeighborSnoop.Visitor() {
        @Override
        public void binding(int vlan, int ipv4, long mac) {
            announce(vlan, ByteBuffer.allocate(4).putInt(ipv4).array(), mac);
        }

        @Override
        public void binding(int vlan, long high, long low, long mac) {
            announce(vlan, ByteBuffer.allocate(16).putLong(high).putLong(low).array(), mac);
        }
    };

    private void announce(int vlan, byte[] address, long mac) {
        Integer vni = vniByVlan.get(vlan);
        if (vni != null) {
            try {
                speaker.localMacAddress(vni, mac, InetAddress.getByAddress(address));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // 4 or 16 bytes are always an address
            }
        }
    }

    /** Every local MAC per VNI, from the table: learned and static entries (static ones sticky), and vNIC MACs. */
    private void rescan() {
        Map<Integer, Map<Long, Boolean>> local = new HashMap<>();
        vniByVlan.values().forEach(vni -> local.put(vni, new HashMap<>()));
        sw.fdb().forEach((vlan, mac, port, type, lastSeen, moves, remote) -> {
            Integer vni = vniByVlan.get(vlan);
            if (vni != null && !tunnelPorts.contains(port)
                    && (type == FdbEntryType.LEARNED || type == FdbEntryType.STATIC)) {
                local.get(vni).put(mac, type == FdbEntryType.STATIC);
            }
        });
        sw.fdb().forEachVnic((mac, port) -> {
            Port p = sw.port(port);
            if (p == null) {
                return;
            }
            vniByVlan.forEach((vlan, vni) -> {
                if (p.portGroup().policy().vlan().carries(vlan)) {
                    local.get(vni).putIfAbsent(mac, false);
                }
            });
        });
        local.forEach(speaker::syncLocalMacs);
    }
}
