package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.linux.packet.FrameBatch;
import io.vxswitch.linux.packet.PacketSocket;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A switch port on an existing host interface (an uplink, or one end of a veth), through an AF_PACKET socket. */
public final class InterfacePort implements PortDevice {
    static final int BATCH = 32;

    private final PacketSocket socket;
    private final int switchPort;
    private final FrameBatch rx;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment tx;
    private long refused;

    public InterfacePort(PacketSocket socket, int switchPort) {
        this.socket = socket;
        this.switchPort = switchPort;
        this.rx = socket.newBatch(BATCH);
        this.tx = arena.allocate(socket.mtu() + PacketSocket.FRAME_OVERHEAD + 8, 64);
    }

    @Override
    public int fd() {
        return socket.fd();
    }

    @Override
    public int switchPort() {
        return switchPort;
    }

    @Override
    public int drain(Dataplane dataplane, long now) {
        int n = socket.receive(rx);
        for (int k = 0; k < n; k++) {
            dataplane.forward(switchPort, rx.buffer(), rx.frameOffset(k), rx.frameLength(k), now);
        }
        return Math.max(n, 0);
    }

    @Override
    public void send(ForwardingDecision d, int i, long now) {
        if (d.egressLength(i) > tx.byteSize()) {
            refused++; // a tag pushed onto a frame already at the MTU: the interface would refuse it
            return;
        }
        int len = d.writeEgress(i, tx, 0);
        if (socket.write(tx, 0, len) <= 0) {
            refused++;
        }
    }

    @Override
    public long sendDrops() {
        return refused;
    }

    @Override
    public String describe() {
        return "interface " + socket.interfaceName() + " (mtu " + socket.mtu() + ")";
    }

    @Override
    public void close() {
        socket.close();
        rx.close();
        arena.close();
    }
}
