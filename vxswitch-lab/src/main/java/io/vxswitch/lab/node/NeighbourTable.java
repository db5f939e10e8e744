package io.vxswitch.lab.node;

import io.vxswitch.lab.engine.Scheduled;
import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.packet.Ethernet;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A host's ARP cache with the Linux neighbour behaviour ping's output depends on (net/core/neighbour.c with
 * the default sysctls): a packet to an unresolved address creates an INCOMPLETE entry and waits in its
 * queue (unres_qlen 101) while a broadcast request goes out at once and again every retrans_time (1 s), up
 * to mcast_solicit (3) requests; one retrans_time after the last, the entry FAILS and every queued packet
 * is reported unreachable to its sender. A packet to a FAILED entry starts a new resolution.
 *
 * <p>Resolved entries stay REACHABLE for the run: the lab's scenarios last seconds, well inside Linux's
 * reachable time, so the STALE/DELAY/PROBE states are not modelled.
 */
final class NeighbourTable {
    static final int MCAST_SOLICIT = 3;
    static final long RETRANS_TIME_NANOS = 1_000_000_000L;
    static final int UNRES_QLEN = 101;

    /** A packet waiting for its next hop's MAC; {@code unreachable} tells its sender if resolution fails. */
    private record Pending(byte[] frame, Runnable unreachable) {
    }

    private static final class Entry {
        final int ip;
        NeighbourState state = NeighbourState.INCOMPLETE;
        long mac = Neighbour.NO_MAC;
        int probes;
        Scheduled timer;
        final ArrayDeque<Pending> queue = new ArrayDeque<>();

        Entry(int ip) {
            this.ip = ip;
        }
    }

    private final Simulator simulator;
    private final IntConsumer solicit;
    private final Consumer<byte[]> transmit;
    private final Map<Integer, Entry> entries = new LinkedHashMap<>();

    /**
     * @param solicit  broadcasts an ARP request for an address
     * @param transmit puts a finished frame on the wire
     */
    NeighbourTable(Simulator simulator, IntConsumer solicit, Consumer<byte[]> transmit) {
        this.simulator = simulator;
        this.solicit = solicit;
        this.transmit = transmit;
    }

    /** Sends {@code frame} to {@code ip}, filling in the destination MAC, now or once ARP has resolved it. */
    void output(int ip, byte[] frame, Runnable unreachable) {
        Entry e = entries.computeIfAbsent(ip, Entry::new);
        if (e.state == NeighbourState.REACHABLE) {
            send(frame, e.mac);
            return;
        }
        if (e.queue.size() == UNRES_QLEN) {
            e.queue.poll(); // Linux drops the oldest queued packet, silently
        }
        e.queue.add(new Pending(frame, unreachable));
        if (e.state == NeighbourState.FAILED || e.timer == null) {
            startResolution(e);
        }
    }

    /** An ARP packet proved {@code ip} is at {@code mac} (a reply to us, or a request for our address). */
    void confirm(int ip, long mac) {
        Entry e = entries.computeIfAbsent(ip, Entry::new);
        e.state = NeighbourState.REACHABLE;
        e.mac = mac;
        e.probes = 0;
        if (e.timer != null) {
            e.timer.cancel();
            e.timer = null;
        }
        while (!e.queue.isEmpty()) {
            send(e.queue.poll().frame(), mac);
        }
    }

    /** Updates an existing entry from ARP traffic not meant for us, as Linux does; never creates one. */
    void refreshIfKnown(int ip, long mac) {
        Entry e = entries.get(ip);
        if (e != null) {
            confirm(ip, mac);
        }
    }

    /** The MAC of {@code ip} if it is resolved, else {@link Neighbour#NO_MAC}; never starts a resolution. */
    long resolvedMac(int ip) {
        Entry e = entries.get(ip);
        return e != null && e.state == NeighbourState.REACHABLE ? e.mac : Neighbour.NO_MAC;
    }

    List<Neighbour> entries() {
        List<Neighbour> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            out.add(new Neighbour(e.ip, e.state == NeighbourState.REACHABLE ? e.mac : Neighbour.NO_MAC, e.state));
        }
        return out;
    }

    private void startResolution(Entry e) {
        e.state = NeighbourState.INCOMPLETE;
        e.probes = 0;
        probe(e);
    }

    private void probe(Entry e) {
        if (e.probes >= MCAST_SOLICIT) {
            fail(e);
            return;
        }
        e.probes++;
        solicit.accept(e.ip);
        e.timer = simulator.after(RETRANS_TIME_NANOS, () -> probe(e));
    }

    private void fail(Entry e) {
        e.state = NeighbourState.FAILED;
        e.timer = null;
        while (!e.queue.isEmpty()) {
            e.queue.poll().unreachable().run();
        }
    }

    private void send(byte[] frame, long mac) {
        Ethernet.dst(MemorySegment.ofArray(frame), 0, mac);
        transmit.accept(frame);
    }
}
