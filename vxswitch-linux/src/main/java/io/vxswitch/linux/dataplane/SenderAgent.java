package io.vxswitch.linux.dataplane;

import org.agrona.concurrent.Agent;

import java.util.Arrays;

/**
 * Makes the transmit syscalls (tap and packet writes, a tunnel's {@code sendmmsg}) for the batches the forwarding
 * agents published, and with them the kernel work each send sets off (the UDP/IP stack, the veth hop, the peer's
 * receive). On a thread of its own, the forwarding agent only reads and decides; on the forwarding agent's thread
 * (one core, or one loop per core) it sends right after the agent's turn.
 *
 * <p>The device list is copied on write: the conductor changes it rarely, the sender reads it every turn without a
 * lock. A device removed at turn N is not touched after turn N + 1, so the conductor frees it once {@link #turns}
 * has moved twice.
 */
final class SenderAgent implements Agent {
    private final String roleName;
    private volatile Transmitter[] devices = new Transmitter[0];
    private volatile long turns;

    SenderAgent(String roleName) {
        this.roleName = roleName;
    }

    @Override
    public String roleName() {
        return roleName;
    }

    /** Adds a device; from the conductor (or before start), the only writer of the list. */
    void add(Transmitter device) {
        Transmitter[] old = devices;
        Transmitter[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = device;
        devices = grown;
    }

    /** Removes a device; from the conductor. The sender may still be inside it until {@link #turns} moves twice. */
    void remove(Transmitter device) {
        Transmitter[] old = devices;
        int at = Arrays.asList(old).indexOf(device);
        if (at < 0) {
            return;
        }
        Transmitter[] kept = new Transmitter[old.length - 1];
        System.arraycopy(old, 0, kept, 0, at);
        System.arraycopy(old, at + 1, kept, at, old.length - at - 1);
        devices = kept;
    }

    /** Turns so far. */
    long turns() {
        return turns;
    }

    @Override
    public int doWork() {
        turns = turns + 1;
        Transmitter[] ds = devices;
        int sent = 0;
        for (Transmitter d : ds) {
            sent += d.transmit();
        }
        return sent;
    }

    /** True while a published batch waits for a turn. */
    boolean anyPending() {
        for (Transmitter d : devices) {
            if (d.hasPending()) {
                return true;
            }
        }
        return false;
    }

    /** Sends what was published before the forwarding agents stopped. */
    @Override
    public void onClose() {
        doWork();
    }
}
