package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.linux.udp.UdpBatch;
import io.vxswitch.linux.udp.UdpSocketPool;
import io.vxswitch.packet.Vxlan;
import io.vxswitch.vxlan.MtuCheck;
import io.vxswitch.vxlan.RemoteVteps;
import io.vxswitch.vxlan.SourcePortHash;
import io.vxswitch.vxlan.Vtep;
import io.vxswitch.vxlan.VxlanDrop;

/**
 * A tunnel port on UDP sockets: the VTEP's underlay. Datagrams on the VXLAN port are decapsulated into the
 * switch; copies the switch sends to the tunnel get a VXLAN header in front (the kernel adds UDP and IP) and
 * leave in one {@code sendmmsg} per poll-loop turn, each from the pool socket its inner flow hashes to, so
 * the outer source port carries the flow's entropy (RFC 7348 §5).
 */
public final class TunnelPort implements PortDevice {
    static final int BATCH = 64;

    private final Vtep vtep;
    private final UdpSocketPool sockets;
    private final int dstPort;
    private final MtuCheck mtu;
    private final boolean ipv6;
    private final UdpBatch rx;
    private final UdpBatch tx;
    private final int[] targets;
    /** The inner flow's hash picks the pool socket, hence the outer source port. */
    private final SourcePortHash flows = SourcePortHash.rfc7348();
    private int pending;
    private long dropped;

    public TunnelPort(Vtep vtep, UdpSocketPool sockets, int dstPort, MtuCheck mtu, boolean ipv6, int slotSize) {
        this.vtep = vtep;
        this.sockets = sockets;
        this.dstPort = dstPort;
        this.mtu = mtu;
        this.ipv6 = ipv6;
        this.rx = new UdpBatch(BATCH, slotSize);
        this.tx = new UdpBatch(BATCH, slotSize);
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
                dropped++;
                continue;
            }
            VxlanDrop drop = vtep.receivePayload(rx.buffer(), rx.slotOffset(k), rx.length(k), rx.sourceHigh(k),
                rx.sourceLow(k), now, dataplane.decision(), null);
            if (drop == VxlanDrop.NONE) {
                dataplane.dispatch(now);
            }
        }
        return Math.max(n, 0);
    }

    @Override
    public void send(ForwardingDecision d, int i, long now) {
        int n = vtep.targets(d, i, targets);
        if (n == Vtep.MULTICAST) {
            dropped++; // multicast underlay needs group membership on the socket: not supported by this port yet
            return;
        }
        int vni = vtep.vniOf(d.vlan());
        for (int k = 0; k < n; k++) {
            if (pending == tx.capacity()) {
                flush();
            }
            long slot = tx.slotOffset(pending);
            long inner = slot + Vxlan.LENGTH;
            if (Vxlan.LENGTH + d.egressLength(i) > tx.slotSize()) {
                dropped++;
                continue;
            }
            int innerLength = d.writeEgress(i, tx.buffer(), inner);
            if (!mtu.admit(tx.buffer(), inner, innerLength, vni, ipv6, now)) {
                continue; // counted as mtu_exceeded by the check, logged at most once per interval
            }
            Vxlan.write(tx.buffer(), slot, vni);
            RemoteVteps remotes = vtep.remotes();
            int remote = targets[k];
            tx.datagram(pending, Vxlan.LENGTH + innerLength, remotes.high(remote), remotes.low(remote), dstPort);
            tx.flowHash(pending, flows.port(tx.buffer(), inner, innerLength));
            pending++;
        }
    }

    @Override
    public void flush() {
        if (pending > 0) {
            int sent = sockets.send(tx, pending);
            if (sent < pending) {
                dropped += pending - Math.max(sent, 0);
            }
            pending = 0;
        }
    }

    @Override
    public long sendDrops() {
        return dropped;
    }

    @Override
    public String describe() {
        return "vxlan on " + sockets;
    }

    @Override
    public void close() {
        sockets.close();
        rx.close();
        tx.close();
    }
}
