package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.linux.udp.UdpBatch;
import io.vxswitch.linux.udp.UdpSocketPool;
import io.vxswitch.packet.Vxlan;
import io.vxswitch.packet.offload.Offload;
import io.vxswitch.vxlan.MtuCheck;
import io.vxswitch.vxlan.RemoteVteps;
import io.vxswitch.vxlan.SourcePortHash;
import io.vxswitch.vxlan.Vtep;
import io.vxswitch.vxlan.VxlanDrop;

/**
 * A tunnel port on UDP sockets: the VTEP's underlay. Datagrams on the VXLAN port are decapsulated into the
 * switch; copies the switch sends to the tunnel get a VXLAN header in front (the kernel adds UDP and IP) in
 * a batch that the sender loop passes to {@code sendmmsg}, each from the pool socket its inner flow hashes
 * to, so the outer source port carries the flow's entropy (RFC 7348 §5). The batches go round a
 * {@link SlotRing}: the switch loop fills one while the sender sends another.
 */
public final class TunnelPort implements PortDevice {
    static final int BATCH = 64;
    static final int TX_SLOTS = 4;

    private final Vtep vtep;
    private final UdpSocketPool sockets;
    private final int dstPort;
    private final MtuCheck mtu;
    private final boolean ipv6;
    private final UdpBatch rx;
    private final SlotRing ring = new SlotRing(TX_SLOTS);
    private final UdpBatch[] tx = new UdpBatch[TX_SLOTS];
    private final int[] counts = new int[TX_SLOTS];
    private final int[] targets;
    /** The inner flow's hash picks the pool socket, hence the outer source port. */
    private final SourcePortHash flows = SourcePortHash.rfc7348();
    private final SoftwareOffload software = new SoftwareOffload();
    // switch loop
    private int filling = -1;
    private long rxDropped;
    private long queueFull;
    private long unsupported;
    // sender loop
    private long refused;

    public TunnelPort(Vtep vtep, UdpSocketPool sockets, int dstPort, MtuCheck mtu, boolean ipv6, int slotSize) {
        this.vtep = vtep;
        this.sockets = sockets;
        this.dstPort = dstPort;
        this.mtu = mtu;
        this.ipv6 = ipv6;
        this.rx = new UdpBatch(BATCH, slotSize);
        for (int s = 0; s < TX_SLOTS; s++) {
            tx[s] = new UdpBatch(BATCH, slotSize);
        }
        this.targets = new int[vtep.remotes().capacity()];
    }

    public Vtep vtep() {
        return vtep;
    }

    @Override
    public int fd() {
        return sockets.receiver().fd();
    }

    @Override
    public int switchPort() {
        return vtep.tunnelPort();
    }

    @Override
    public int drain(Dataplane dataplane, long now) {
        int n = sockets.receiver().receive(rx);
        for (int k = 0; k < n; k++) {
            if (rx.truncated(k)) {
                rxDropped++;
                continue;
            }
            VxlanDrop drop = vtep.receivePayload(rx.buffer(), rx.slotOffset(k), rx.length(k), rx.sourceHigh(k),
                rx.sourceLow(k), now, dataplane.decision(), null);
            if (drop == VxlanDrop.NONE) {
                dataplane.dispatchFromTunnel(vtep.tunnelPort(), now);
            }
        }
        return Math.max(n, 0);
    }

    @Override
    public void attach(Backpressure backpressure) {
        ring.attach(backpressure, this);
    }

    @Override
    public void send(ForwardingDecision d, int i, Offload offload, long now) {
        int n = vtep.targets(d, i, targets);
        if (n == Vtep.MULTICAST) {
            unsupported++; // multicast underlay needs group membership on the socket: not supported by this port yet
            return;
        }
        boolean plain = offload.isPlain();
        int segments = plain ? 1 : software.prepare(d, i, offload); // a super-frame leaves as its TCP segments
        int vni = vtep.vniOf(d.vlan());
        for (int k = 0; k < n; k++) {
            for (int s = 0; s < segments; s++) {
                int at = claimDatagram();
                if (at < 0) {
                    queueFull++; // the sender has not caught up: every slot waits for sendmmsg
                    continue;
                }
                UdpBatch b = tx[filling];
                long slot = b.slotOffset(at);
                long inner = slot + Vxlan.LENGTH;
                if (Vxlan.LENGTH + (plain ? d.egressLength(i) : software.length(s)) > b.slotSize()) {
                    unsupported++;
                    continue;
                }
                int innerLength = plain ? d.writeEgress(i, b.buffer(), inner) : software.write(s, b.buffer(), inner);
                if (!mtu.admit(b.buffer(), inner, innerLength, vni, ipv6, now)) {
                    continue; // counted as mtu_exceeded by the check, logged at most once per interval
                }
                Vxlan.write(b.buffer(), slot, vni);
                RemoteVteps remotes = vtep.remotes();
                int remote = targets[k];
                b.datagram(at, Vxlan.LENGTH + innerLength, remotes.high(remote), remotes.low(remote), dstPort);
                remotes.countTx(remote);
                vtep.counters().countEncapsulated();
                b.flowHash(at, flows.port(b.buffer(), inner, innerLength));
                counts[filling] = at + 1;
            }
        }
    }

    /** The next free datagram of the batch being filled (starting a batch if needed), or -1 if no slot is free. */
    private int claimDatagram() {
        if (filling >= 0 && counts[filling] == BATCH) {
            flush();
        }
        if (filling < 0) {
            filling = ring.claim();
            if (filling < 0) {
                return -1;
            }
            counts[filling] = 0;
        }
        return counts[filling];
    }

    @Override
    public boolean flush() {
        if (filling < 0 || counts[filling] == 0) {
            return false;
        }
        ring.publish();
        filling = -1;
        return true;
    }

    @Override
    public int transmit() {
        int total = 0;
        for (int s = ring.next(); s >= 0; s = ring.next()) {
            int count = counts[s];
            int sent = sockets.send(tx[s], count);
            if (sent < count) {
                refused += count - Math.max(sent, 0);
            }
            ring.release();
            total += count;
        }
        return total;
    }

    @Override
    public boolean hasPending() {
        return ring.hasPublished();
    }

    @Override
    public long txQueueFull() {
        return queueFull;
    }

    /**
     * Datagrams refused by the kernel, frames too large for a slot, super-frames that could not be cut, and multicast
     * copies (not supported yet).
     */
    @Override
    public long txRefused() {
        return refused + unsupported + software.refused();
    }

    /** Received datagrams longer than a slot. */
    public long rxTruncated() {
        return rxDropped;
    }

    @Override
    public String describe() {
        return "vxlan on " + sockets;
    }

    @Override
    public void close() {
        sockets.close();
        rx.close();
        software.close();
        for (UdpBatch b : tx) {
            b.close();
        }
    }
}
