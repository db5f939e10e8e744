package io.vxswitch.linux.dataplane;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    /** The ERSPAN sessions' senders, one per agent, by the session's slot. */
    private final Map<Integer, List<ErspanSender>> erspan = new LinkedHashMap<>();

    /** A removed device (or ERSPAN sender), its sender, and the sender's turn at removal. */
    private record Retired(AutoCloseable device, SenderAgent sender, long removedAt) {
        boolean released() {
            return sender.turns() - removedAt >= 2;
        }

        void close() {
            try {
                device.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
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
        retire(device, device, agent);
    }

    /** Takes {@code transmitter} off agent {@code agent}'s sender and frees {@code closer} once that is safe. */
    private void retire(Transmitter transmitter, AutoCloseable closer, int agent) {
        SenderAgent sender = senders[agent];
        sender.remove(transmitter);
        Retired r = new Retired(closer, sender, sender.turns());
        if (senderOnAgentThread[agent]) {
            r.close();
            return;
        }
        long deadline = System.nanoTime() + RETIRE_WAIT_NANOS;
        while (!r.released() && System.nanoTime() - deadline < 0) {
            Thread.yield(); // a sender turns at least once a millisecond: this is a short wait
        }
        if (r.released()) {
            r.close(); // the sender has started a turn without it since: nothing of it is in use
        } else {
            retired.add(r);
        }
    }

    /** Adds an ERSPAN session's senders, {@code perAgent.get(i)} to agent i, for the session in slot {@code slot}. */
    void addErspan(int slot, List<ErspanSender> perAgent) {
        if (perAgent.size() != agents.length) {
            throw new IllegalArgumentException("an ERSPAN session needs a sender per loop: " + agents.length
                + " loops, " + perAgent.size() + " senders");
        }
        if (erspan.containsKey(slot)) {
            throw new IllegalStateException("ERSPAN slot " + slot + " has senders already");
        }
        for (int i = 0; i < agents.length; i++) {
            ErspanSender s = perAgent.get(i);
            s.senderOnAgentThread(senderOnAgentThread[i]);
            agents[i].addErspan(slot, s);
            senders[i].add(s);
        }
        erspan.put(slot, List.copyOf(perAgent));
    }

    /** Removes the senders of ERSPAN slot {@code slot}; each is freed once its sender thread let go of it. */
    void removeErspan(int slot) {
        List<ErspanSender> all = erspan.remove(slot);
        if (all == null) {
            return;
        }
        for (int i = 0; i < agents.length; i++) {
            agents[i].removeErspan(slot);
            retire(all.get(i), all.get(i), i);
        }
    }

    /** The ERSPAN senders of slot {@code slot}, by agent; empty if none. */
    List<ErspanSender> erspan(int slot) {
        return erspan.getOrDefault(slot, List.of());
    }

    /** Every ERSPAN slot with senders. */
    java.util.Set<Integer> erspanSlots() {
        return erspan.keySet();
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
                retired.remove(i).close();
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
        for (List<ErspanSender> ss : erspan.values()) {
            ss.forEach(ErspanSender::close);
        }
        erspan.clear();
        for (Retired r : retired) {
            r.close();
        }
        retired.clear();
    }
}
