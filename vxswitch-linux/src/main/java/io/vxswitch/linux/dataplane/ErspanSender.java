package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.mirror.ErspanCounter;
import io.vxswitch.forwarding.mirror.ErspanDestination;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.ffi.MessageVector;
import io.vxswitch.linux.gre.GreSocket;
import io.vxswitch.linux.udp.IpAddress;
import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.Erspan;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.Wire;
import io.vxswitch.packet.offload.Offload;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One forwarding loop's sender of an ERSPAN session's copies: the session's collector seen from that loop. Built on
 * the same shape as a tunnel port's transmit side, because it is the same job (encapsulate a copy the switch decided
 * on, send it through a socket to the underlay), and the loops already have a place for it:
 * <ul>
 * <li>the forwarding agent, as it queues a frame's copies, writes each ERSPAN copy straight into a batch slot behind
 *     room for the GRE and ERSPAN headers, then writes the headers: one copy of the frame, no allocation, no
 *     lock (the sequence number is one atomic add, shared by the session's loops so it counts per session);</li>
 * <li>at the end of the agent's turn the batch is published, and the {@link SenderAgent} makes one {@code sendmmsg}
 *     per batch on the loop's own raw GRE socket ({@link GreSocket}, opened and connected by the control side before
 *     the session joins the loops), on its own thread by default: the forwarding loop never makes the syscall.</li>
 * </ul>
 * Handing copies to a separate thread of the session's own was the other way; it would cost a queue hop and a second
 * copy of every frame, and a wake-up per burst, to move the same syscall off a thread that already does not make it.
 *
 * <p>A mirror copy must never slow the traffic it copies, so unlike a port this sender never waits for the sender
 * thread: with every slot taken it drops the copy and counts it ({@code erspan_queue_full}); only where the sender runs
 * on this loop's own thread does it send what waits first, as that costs no waiting. A TCP super-frame from a tap
 * with offloads leaves as its segments, one ERSPAN packet each (what the wire would have carried). A copy longer
 * than the path MTU allows is cut to fit and flagged with the T bit, as Linux's ERSPAN device does, instead of being
 * fragmented (receivers such as Open vSwitch's userspace datapath drop fragments). What the kernel refuses is counted
 * by kind ({@code erspan_unreachable}, {@code erspan_refused}) and said once per change of error
 * ({@link #takeNotice}).
 */
public final class ErspanSender implements Transmitter, AutoCloseable {
    static final int BATCH = 64;
    static final int SLOTS = 4;

    private final ErspanDestination destination;
    private final GreSocket socket;
    private final AtomicInteger sequence;
    private final int type;
    private final int overhead;
    private final int sessionId;
    private final int index;
    private final int hardwareId;
    /** Nanoseconds to add to {@code System.nanoTime()} for the wall clock: type III's timestamp. */
    private final long wallOffsetNanos;
    private final SoftwareOffload software = new SoftwareOffload();
    private final Arena arena = Arena.ofShared();
    private final SlotRing ring = new SlotRing(SLOTS);
    private final MessageVector[] batches = new MessageVector[SLOTS];
    private final int[] counts = new int[SLOTS];
    private final long[] fillBytes = new long[SLOTS];
    private final int[] results = new int[BATCH];
    /** Longest copy that fits the path MTU with the headers; lowered by the sender when the kernel says EMSGSIZE. */
    private volatile int maxInner;
    private volatile String notice;
    /** True where the sender runs on this loop's thread, between its turns. */
    private boolean senderOnAgentThread;
    // forwarding agent
    private int filling = -1;
    private long queueFull;
    private long mtuTruncated;
    // sender
    private long packets;
    private long bytes;
    private long unreachable;
    private long refused;
    private int lastErrno;

    /**
     * @param sequence the session's sequence counter, shared by its senders on every loop
     * @param slotSize bytes per packet slot: the headers and the largest frame a port reads
     */
    ErspanSender(ErspanDestination destination, GreSocket socket, AtomicInteger sequence, int slotSize) {
        this.destination = destination;
        this.socket = socket;
        this.sequence = sequence;
        this.type = destination.type();
        this.overhead = Erspan.overhead(type);
        this.sessionId = destination.sessionId();
        this.index = destination.index();
        this.hardwareId = destination.hardwareId();
        this.wallOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        for (int s = 0; s < SLOTS; s++) {
            batches[s] = new MessageVector(arena, BATCH, overhead + slotSize, 0, 0);
        }
        int mtu = socket.pathMtu();
        this.maxInner = fit(mtu > 0 ? mtu : 1500);
    }

    /**
     * Opens the session's senders, one per forwarding loop, each with its own socket to the collector, sharing one
     * sequence counter. Control side.
     *
     * @param slotSize bytes of the largest frame a port reads
     * @throws LinuxException the host refused a socket (no privilege, no route, a local address it does not have)
     */
    public static List<ErspanSender> open(ErspanDestination d, int loops, int slotSize) {
        AtomicInteger sequence = new AtomicInteger();
        List<ErspanSender> senders = new ArrayList<>();
        try {
            for (int i = 0; i < loops; i++) {
                GreSocket s = GreSocket.open(address(d.remote()), d.local() == null ? null : address(d.local()),
                    d.dscp(), d.ttl());
                try {
                    senders.add(new ErspanSender(d, s, sequence, slotSize));
                } catch (RuntimeException e) {
                    s.close();
                    throw e;
                }
            }
            return senders;
        } catch (RuntimeException e) {
            senders.forEach(ErspanSender::close);
            throw e;
        }
    }

    private static IpAddress address(InetAddress a) {
        return IpAddress.parse(a.getHostAddress());
    }

    private int fit(int pathMtu) {
        return Math.max(Ethernet.MIN_FRAME_LENGTH, pathMtu - socket.ipHeaderLength() - overhead);
    }

    public ErspanDestination destination() {
        return destination;
    }

    /** The loop's socket (tests look at it). */
    GreSocket socket() {
        return socket;
    }

    /** Longest copy sent whole: the path MTU less the IP, GRE and ERSPAN headers. */
    public int maxCopyLength() {
        return maxInner;
    }

    /** Registry, when the sender joins a loop. */
    void senderOnAgentThread(boolean onAgentThread) {
        this.senderOnAgentThread = onAgentThread;
    }

    // ---- forwarding agent

    /**
     * Queues copy {@code i} of {@code d} (an ERSPAN mirror copy, prepared) as one ERSPAN packet, or one per segment
     * of a super-frame.
     */
    void send(ForwardingDecision d, int i, Offload offload, long now) {
        if (offload.isPlain()) {
            queue(d, i, -1, now);
            return;
        }
        int segments = software.prepare(d, i, offload);
        for (int k = 0; k < segments; k++) {
            queue(d, i, k, now);
        }
    }

    private void queue(ForwardingDecision d, int i, int segment, long now) {
        int length = segment < 0 ? d.egressLength(i) : software.length(segment);
        int at = claim(overhead + length);
        if (at < 0) {
            return; // counted by claim
        }
        MessageVector v = batches[filling];
        MemorySegment buffer = v.data();
        long packet = fillBytes[filling];
        long frame = packet + overhead;
        int written = segment < 0 ? d.writeEgress(i, buffer, frame) : software.write(segment, buffer, frame);
        int max = maxInner;
        boolean cut = written > max;
        if (cut) {
            mtuTruncated++;
        }
        int sent = cut ? max : written;
        boolean truncated = cut || d.isTruncated(i);
        int vlan = 0;
        int cos = 0;
        boolean tagged = Wire.u16(buffer, frame + Ethernet.TYPE_OFFSET) == EtherType.VLAN;
        if (tagged) {
            int tci = Wire.u16(buffer, frame + Ethernet.TYPE_OFFSET + 2);
            vlan = tci & Dot1q.MAX_VID;
            cos = tci >>> 13;
        }
        int seq = sequence.getAndIncrement();
        if (type == ErspanDestination.TYPE_II) {
            Erspan.writeTypeII(buffer, packet, seq, vlan, cos, tagged ? Erspan.EN_TAG_IN_FRAME : Erspan.EN_UNTAGGED,
                truncated, sessionId, index);
        } else {
            int timestamp = (int) ((now + wallOffsetNanos) / Erspan.TIMESTAMP_UNIT_NANOS);
            Erspan.writeTypeIII(buffer, packet, seq, vlan, cos, Erspan.bso(written), truncated, sessionId, timestamp,
                hardwareId, d.remoteMirrorEgress(i));
        }
        v.prepareSend(at, packet, overhead + sent, 0);
        counts[filling] = at + 1;
        fillBytes[filling] += (overhead + sent + 63) & ~63; // the next packet starts on a cache line
    }

    /** Message index in the batch being filled, with {@code bytes} of room; -1 (counted) if no batch is free. */
    private int claim(int bytes) {
        if (bytes > batches[0].data().byteSize()) {
            queueFull++; // cannot happen for frames a port reads; counted rather than thrown on the data path
            return -1;
        }
        if (filling >= 0 && (counts[filling] == BATCH || fillBytes[filling] + bytes > batches[filling].data().byteSize())) {
            flush();
        }
        if (filling < 0) {
            int slot = ring.tryClaim();
            if (slot < 0 && senderOnAgentThread) {
                transmit(); // the sender is this thread: send what waits, no waiting
                slot = ring.tryClaim();
            }
            if (slot < 0) {
                queueFull++; // the sender thread has not caught up: a copy never holds up the traffic it copies
                return -1;
            }
            filling = slot;
            counts[slot] = 0;
            fillBytes[slot] = 0;
        }
        return counts[filling];
    }

    /** Forwarding agent, once per turn: hands the batch being filled to the sender; true if it had any packet. */
    boolean flush() {
        if (filling < 0 || counts[filling] == 0) {
            return false;
        }
        ring.publish();
        filling = -1;
        return true;
    }

    // ---- sender

    @Override
    public int transmit() {
        int total = 0;
        for (int s = ring.next(); s >= 0; s = ring.next()) {
            int count = counts[s];
            socket.send(batches[s], count, results);
            for (int m = 0; m < count; m++) {
                int r = results[m];
                if (r > 0) {
                    packets++;
                    bytes += r;
                    if (lastErrno != 0) {
                        lastErrno = 0;
                        notice = "sending to collector " + destination.remote().getHostAddress() + " again";
                    }
                } else {
                    failed(r == 0 ? Errno.EAGAIN : -r);
                }
            }
            ring.release();
            total += count;
        }
        return total;
    }

    /** Counts a packet the kernel did not send, by why; says a new error once. */
    private void failed(int errno) {
        switch (errno) {
            case Errno.EAGAIN, Errno.ENOBUFS -> queueFull++; // the socket's queue: the kernel has not caught up
            case Errno.ENETUNREACH, Errno.EHOSTUNREACH, Errno.ENETDOWN, Errno.EHOSTDOWN, Errno.ECONNREFUSED,
                 Errno.ENOPROTOOPT -> unreachable++;
            default -> refused++;
        }
        if (errno == Errno.EMSGSIZE) {
            int mtu = socket.pathMtu(); // the path got narrower (ICMP): cut to the new MTU from the next copy on
            if (mtu > 0) {
                maxInner = fit(mtu);
            }
        }
        if (errno != lastErrno && errno != Errno.EAGAIN && errno != Errno.ENOBUFS) {
            lastErrno = errno;
            notice = "collector " + destination.remote().getHostAddress() + ": " + Libc.strerror(errno) + " ("
                + Errno.name(errno) + ")" + (errno == Errno.EMSGSIZE ? "; copies longer than " + maxInner
                + " bytes are cut to fit the path MTU from now on" : "; copies are counted as dropped ("
                + (ErspanCounter.UNREACHABLE.key().equals(kindOf(errno)) ? "erspan_unreachable" : "erspan_refused")
                + ") until it is fixed");
        }
    }

    private static String kindOf(int errno) {
        return switch (errno) {
            case Errno.ENETUNREACH, Errno.EHOSTUNREACH, Errno.ENETDOWN, Errno.EHOSTDOWN, Errno.ECONNREFUSED,
                 Errno.ENOPROTOOPT -> ErspanCounter.UNREACHABLE.key();
            default -> ErspanCounter.REFUSED.key();
        };
    }

    @Override
    public boolean hasPending() {
        return ring.hasPublished();
    }

    /** A line the operator should see about the collector (an error, or its end), once; null when nothing new. */
    String takeNotice() {
        String n = notice;
        if (n != null) {
            notice = null;
        }
        return n;
    }

    /** This sender's counts, in {@link ErspanCounter} order; any thread (a moment-old view). */
    long[] counts() {
        long[] out = new long[ErspanCounter.values().length];
        out[ErspanCounter.PACKETS.ordinal()] = packets;
        out[ErspanCounter.BYTES.ordinal()] = bytes;
        out[ErspanCounter.MTU_TRUNCATED.ordinal()] = mtuTruncated;
        out[ErspanCounter.QUEUE_FULL.ordinal()] = queueFull;
        out[ErspanCounter.UNREACHABLE.ordinal()] = unreachable;
        out[ErspanCounter.REFUSED.ordinal()] = refused + software.refused();
        return out;
    }

    /** One line: what the loop sends through. */
    public String describe() {
        return socket + ", path MTU allows copies of " + maxInner + " bytes";
    }

    @Override
    public void close() {
        socket.close();
        software.close();
        arena.close();
    }
}
