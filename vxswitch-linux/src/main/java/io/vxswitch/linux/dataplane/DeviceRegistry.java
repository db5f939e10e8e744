package io.vxswitch.linux.dataplane;

import java.util.ArrayList;
import java.util.List;

/**
 * Which agent reads and which sender writes each port device, and the retirement of removed ones. The
 * {@link Conductor} alone changes it (before start, or while the forwarding agents on other threads are held).
 *
 * <p>A removed device is freed once its sender can no longer be inside it: at once when the sender runs on its
 * agent's thread (that agent is held, or is the conductor's own, so its sender is between turns too), otherwise
 * after the sender has turned twice since (waited for briefly, else at a later housekeeping tick), so a batch being
 * sent never loses its buffers.
 */
final class DeviceRegistry {
    /** How long removing a device waits for the sender to let go of it before closing it at a later tick. */
    private static final long RETIRE_WAIT_NANOS = 50_000_000L;

    private final ForwardingAgent[] agents;
    /** The sender of each agent's devices (one may serve several agents). */
    private final SenderAgent[] senders;
    private final Backpressure[] backpressure;
    /** True where the sender of agent i runs on that agent's thread, between its turns. */
    private final boolean[] senderOnAgentThread;
    private final LinkWatch links;
    private final Captures captures;
    private final List<Retired> retired = new ArrayList<>();

    /** A removed device, its sender, and the sender's turn at removal. */
    private record Retired(PortDevice device, SenderAgent sender, long removedAt) {
        boolean released() {
            return sender.turns() - removedAt >= 2;
        }
    }

    DeviceRegistry(ForwardingAgent[] agents, SenderAgent[] senders, Backpressure[] backpressure,
                   boolean[] senderOnAgentThread, LinkWatch links, Captures captures) {
        this.agents = agents;
        this.senders = senders;
        this.backpressure = backpressure;
        this.senderOnAgentThread = senderOnAgentThread;
        this.links = links;
        this.captures = captures;
    }

    /** Adds {@code device} to agent {@code agent}: each agent needs a device of its own for every port. */
    void add(PortDevice device, int agent) {
        agents[agent].add(device);
        if (agent == 0) {
            links.watch(device);
        }
        device.attach(backpressure[agent]);
        senders[agent].add(device);
    }

    /** Removes a device: no more reads, no more copies queued to it, its captures end; freed once safe. */
    void remove(PortDevice device) {
        int agent = ownerOf(device);
        if (agent < 0) {
            throw new IllegalArgumentException("not a device of this dataplane: " + device.describe());
        }
        agents[agent].remove(device);
        if (agent == 0) {
            links.unwatch(device.switchPort());
            PortCapture c = captures.of(device.switchPort());
            if (c != null) {
                captures.detach(c);
            }
        }
        SenderAgent sender = senders[agent];
        sender.remove(device);
        if (senderOnAgentThread[agent]) {
            device.close();
            return;
        }
        Retired r = new Retired(device, sender, sender.turns());
        long deadline = System.nanoTime() + RETIRE_WAIT_NANOS;
        while (!r.released() && System.nanoTime() - deadline < 0) {
            Thread.yield(); // a sender turns at least once a millisecond: this is a short wait
        }
        if (r.released()) {
            device.close(); // the sender has started a turn without it since: nothing of it is in use
        } else {
            retired.add(r);
        }
    }

    private int ownerOf(PortDevice device) {
        for (int i = 0; i < agents.length; i++) {
            if (agents[i].owns(device)) {
                return i;
            }
        }
        return -1;
    }

    /** Frees the retired devices whose sender has turned twice since; on housekeeping ticks. */
    void closeRetired() {
        for (int i = retired.size() - 1; i >= 0; i--) {
            if (retired.get(i).released()) {
                retired.remove(i).device().close();
            }
        }
    }

    /** The devices, agent by agent, each agent's in the order added. */
    List<PortDevice> devices() {
        List<PortDevice> all = new ArrayList<>();
        for (ForwardingAgent a : agents) {
            all.addAll(a.devices());
        }
        return all;
    }

    /** Frees every device; after the agents have stopped. */
    void closeAll() {
        for (PortDevice d : devices()) {
            d.close();
        }
        for (Retired r : retired) {
            r.device().close();
        }
        retired.clear();
    }
}
