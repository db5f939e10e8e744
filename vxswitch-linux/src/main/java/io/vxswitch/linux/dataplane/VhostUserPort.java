package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.linux.LinkState;
import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.poll.Epoll;
import io.vxswitch.linux.poll.EventFd;
import io.vxswitch.linux.vhost.GuestMemory;
import io.vxswitch.linux.vhost.RingFault;
import io.vxswitch.linux.vhost.SplitVirtqueue;
import io.vxswitch.linux.vhost.VhostUserEndpoint;
import io.vxswitch.linux.vhost.VhostUserException;
import io.vxswitch.linux.vhost.VirtioFeatures;
import io.vxswitch.packet.offload.Offload;
import io.vxswitch.packet.offload.VirtioNetHeader;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One queue pair of a switch port on a vhost-user socket: the VM's virtio-net NIC itself. QEMU (or DPDK's virtio-user)
 * shares the guest's memory and its two virtqueues, and the switch reads the frames the guest transmits straight out of its
 * transmit queue and writes the frames for it straight into the buffers of its receive queue: no system call per frame,
 * one copy each way. The protocol runs on a control thread ({@link VhostUserEndpoint}, {@link
 * io.vxswitch.linux.vhost.VhostUserSession}, {@link VhostUserPairs}); it changes this object's queues only through the
 * dataplane's command queue, so the forwarding agent that owns the pair uses them without a lock. With several
 * forwarding loops each loop has a pair of its own ({@link VhostUserPairs} says where the frames of a pair the guest
 * does not run go).
 *
 * <p><b>Waiting.</b> The guest kicks an eventfd when it queues frames to send. The kick descriptor changes with every
 * connection while the agent waits on one fixed descriptor per port, so the port's {@link #fd} is an epoll instance of
 * its own holding the kick and an eventfd of the port's: the agent's epoll sees it readable when either is. While the
 * port works through the ring it turns the guest's kicks off ({@code VRING_USED_F_NO_NOTIFY}); a turn that stops with
 * frames left signals the port's own eventfd so the next turn comes back, and an empty ring turns kicks back on and
 * looks once more (the race of virtio 1.0 §2.4.7.2).
 *
 * <p><b>Copies, not views.</b> A frame the guest sends is copied out of its buffers before the switch parses it: the
 * guest can rewrite its memory at any time, and a frame read in place could change between a check and a use (DPDK
 * dropped its dequeue zero-copy mode for this). The copy is one {@code memcpy} into the port's buffer, as a tap's
 * {@code read} would be.
 *
 * <p><b>Offloads.</b> Frames carry a {@code virtio_net_hdr} (12 bytes with VERSION_1 or MRG_RXBUF), read into the
 * port's {@link Offload} like a tap's: TCP and UDP super-frames and frames with checksums left to fill in cross the
 * switch whole. Towards the guest, a frame goes whole if the driver accepted that offload (GUEST_CSUM, GUEST_TSO4/6,
 * GUEST_USO4/6, GUEST_ECN), else it is finished in software ({@link SoftwareOffload}). With mergeable receive buffers
 * a frame fills as many of the guest's buffers as it needs ({@code num_buffers}).
 *
 * <p><b>A guest that writes garbage</b> (an index past the ring, a descriptor outside its memory, a chain that loops,
 * a buffer going the wrong way) stops the port: no more reads of its rings, one line said through
 * {@link #takeNotice}, {@link #guestRingErrors} counted. The port runs again once the front-end restarts its rings (a
 * driver reset or a new connection).
 */
public final class VhostUserPort implements PortDevice {
    /** Frames taken from the guest per turn before other ports get theirs. */
    static final int BATCH = 64;
    /** Bytes of frames for the guest another loop's pair may have handed to this one and not delivered yet. */
    static final int HAND_OFF_BYTES = 1 << 20;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final int switchPort;
    /** Which queue pair: virtqueues 2 * pair (receive) and 2 * pair + 1 (transmit). */
    private final int pair;
    private final boolean offloads;
    /** The longest frame taken from the guest: a super-frame with offloads, else the port's largest frame. */
    private final int maxFrame;
    private final Epoll wait = new Epoll(4);
    private final EventFd again = new EventFd();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment rx;
    private final MemorySegment tx;
    private final MemorySegment patch;
    private final MemorySegment one;
    private final Offload offload = new Offload();
    private final SoftwareOffload software = new SoftwareOffload();
    private final VhostUserPairs control;
    /** Frames for the guest this pair hands to a running one while its own receive queue does not run: one writer. */
    private final OneToOneRingBuffer handOff;
    private final MemorySegment handOffMemory;
    /** Signalled by a loop that handed this pair frames, at the end of its turn. */
    private final EventFd handed = new EventFd();
    private final MessageHandler deliverHandedFrame = this::deliverHandedFrame;

    // The data path's state: the agent's thread, changed by commands between its turns.
    private SplitVirtqueue rxq;
    private SplitVirtqueue txq;
    private boolean rxEnabled;
    private boolean txEnabled;
    private int rxCall = -1;
    private int txCall = -1;
    private int kickFd = -1;
    private int headerLength = 12;
    private long features;
    private boolean mergeable;
    /** True while the guest is asked to kick (the transmit ring was found empty). */
    private boolean kicksOn = true;
    private boolean againSignalled;
    private int turnFrames;
    /** Set once by the agent when a ring is found broken; read by the conductor. */
    private volatile boolean broken;
    private SplitVirtqueue faulted;
    private boolean faultSaid;
    private long ringErrors;
    private long rxRefused;
    private long queueFull;
    private long notRunning;
    private long tooSmall;

    // Hand-offs between pairs: changed only while every loop is held (VhostUserPairs.reroute).
    /** The running pair this one's frames for the guest go to while its own receive queue does not run; or null. */
    private VhostUserPort handTo;
    /** Pairs whose hand-off rings this one delivers from. */
    private VhostUserPort[] handedFrom = new VhostUserPort[0];
    private int handedFromCount;
    /** This turn handed frames over: wake the pair that takes them when the turn's copies are published. */
    private boolean handedThisTurn;
    /** The ring being delivered from, for {@link #deliverHandedFrame}. */
    private MemorySegment delivering;

    /**
     * @param name     the port's name
     * @param pair     which queue pair of the port
     * @param maxFrame the largest frame without offloads (MTU, header, two tags)
     * @param offloads offer checksum and segmentation offloads to the guest
     * @param severalPairs the port has other pairs this one may hand frames to
     */
    VhostUserPort(String name, int switchPort, int pair, int maxFrame, boolean offloads, VhostUserPairs control,
                  boolean severalPairs) {
        this.name = name;
        this.switchPort = switchPort;
        this.pair = pair;
        this.offloads = offloads;
        this.maxFrame = offloads ? Math.max(maxFrame, VirtioNetHeader.MAX_SUPER_FRAME) : maxFrame;
        this.control = control;
        this.rx = arena.allocate(12 + this.maxFrame, 64);
        this.tx = arena.allocate(12 + VirtioNetHeader.MAX_SUPER_FRAME + 8, 64);
        this.patch = arena.allocate(8, 8);
        this.one = arena.allocateFrom(ValueLayout.JAVA_LONG, 1L);
        // a ring only where there is another pair to hand to
        int handOffBytes = (severalPairs ? HAND_OFF_BYTES : 1024) + RingBufferDescriptor.TRAILER_LENGTH;
        this.handOffMemory = arena.allocate(handOffBytes, 64);
        this.handOff = new OneToOneRingBuffer(new UnsafeBuffer(handOffMemory.address(), handOffBytes));
        wait.add(again.fd(), Epoll.IN);
        wait.add(handed.fd(), Epoll.IN);
    }

    /**
     * A port with one queue pair on the vhost-user socket {@code socket}; a server's socket is created now. The
     * protocol starts once the port is in a dataplane ({@link #attachCommands}).
     *
     * @param log lines for the operator; any thread
     * @throws io.vxswitch.linux.LinuxException if a server's socket cannot be created
     */
    public static VhostUserPort open(String name, int switchPort, int maxFrame, boolean offloads, Path socket,
                                     VhostUserEndpoint.Mode mode, Consumer<String> log) {
        return openPairs(name, switchPort, 1, maxFrame, offloads, socket, mode, log).getFirst();
    }

    /**
     * A port with {@code pairs} queue pairs on one vhost-user socket: the devices of loops 0 to {@code pairs - 1}, in
     * that order ({@link Dataplane#add(PortDevice, int)}). The front-end is offered VIRTIO_NET_F_MQ with that many
     * pairs when there are several.
     *
     * @throws io.vxswitch.linux.LinuxException if a server's socket cannot be created
     */
    public static List<VhostUserPort> openPairs(String name, int switchPort, int pairs, int maxFrame, boolean offloads,
                                                Path socket, VhostUserEndpoint.Mode mode, Consumer<String> log) {
        return openPairs(name, switchPort, pairs, maxFrame, offloads, socket, mode, null, log);
    }

    /**
     * As above; a server's socket is given to {@code group} with mode 0660 (null: as the umask makes it), so that a
     * front-end running as another user (QEMU under libvirt) can connect.
     */
    public static List<VhostUserPort> openPairs(String name, int switchPort, int pairs, int maxFrame, boolean offloads,
                                                Path socket, VhostUserEndpoint.Mode mode, String group,
                                                Consumer<String> log) {
        return VhostUserPairs.open(name, switchPort, pairs, maxFrame, offloads, socket, mode, group, log);
    }

    @Override
    public int fd() {
        return wait.fd();
    }

    @Override
    public int switchPort() {
        return switchPort;
    }

    /** The socket's path and who creates it. */
    public VhostUserEndpoint endpoint() {
        return control.endpoint();
    }

    /** The port's control side, which all its pairs share. */
    VhostUserPairs control() {
        return control;
    }

    /** Which queue pair of the port this device serves. */
    public int pair() {
        return pair;
    }

    public boolean offloads() {
        return offloads;
    }

    /**
     * Pair 0 starts the port's control thread: from now on, the front-end's changes reach every pair through
     * {@code commands} (the conductor holds the other loops while it runs them).
     */
    @Override
    public void attachCommands(Consumer<Runnable> commands) {
        if (pair == 0) {
            control.start(commands);
        }
    }

    // ---- the control side, from VhostUserPairs, on the conductor's thread with every loop held

    void negotiated(long negotiated) {
        features = negotiated;
        headerLength = VirtioFeatures.headerLength(negotiated);
        mergeable = VirtioFeatures.has(negotiated, VirtioFeatures.NET_F_MRG_RXBUF);
    }

    /** Virtqueue {@code q} of this pair starts: its receive queue ({@code 2 * pair}) or its transmit queue. */
    void startQueue(SplitVirtqueue q, int kick, int call, boolean enabled) {
        clearFault(); // a ring started anew: the driver was reset, or a new front-end came
        if (isReceive(q.index())) {
            rxq = q;
            rxCall = call;
            rxEnabled = enabled;
            q.kicks(false); // the switch looks for receive buffers when it has a frame: no kick needed
        } else {
            txq = q;
            txCall = call;
            txEnabled = enabled;
            kickFd = kick;
            kicksOn = true;
            q.kicks(true);
            wait.add(kick, Epoll.IN);
            lookAgain(); // a front-end that reconnects may have queued frames already, and kicked the old descriptor
        }
    }

    /** Virtqueue {@code index} (this pair's) stops; its next available index, -1 if it was not started. */
    int stopQueue(int index) {
        SplitVirtqueue q = isReceive(index) ? rxq : txq;
        if (q == null) {
            return -1;
        }
        if (!broken) {
            try {
                q.publishUsed(); // what was completed goes back to the driver before the ring stops
            } catch (RuntimeException | InternalError e) {
                // its memory is gone: nothing to give back
            }
        }
        if (isReceive(index)) {
            rxq = null;
        } else {
            stopWaitingForKicks();
            txq = null;
        }
        return q.lastAvail();
    }

    void enableQueue(int index, boolean enabled) {
        if (isReceive(index)) {
            rxEnabled = enabled;
        } else {
            txEnabled = enabled;
            if (enabled) {
                // The front-end may send frames right after SET_VRING_ENABLE: its first kick can come before this
                // command and be drained by a turn that left the disabled ring alone. The guest kicks no more for
                // what is in the ring already, so the next turn looks without one.
                lookAgain();
            }
        }
    }

    void callFd(int index, int fd) {
        if (isReceive(index)) {
            rxCall = fd;
        } else {
            txCall = fd;
        }
    }

    void memory(GuestMemory memory) {
        if (memory == null) {
            return;
        }
        for (SplitVirtqueue q : new SplitVirtqueue[] {rxq, txq}) {
            if (q != null && !q.remap(memory)) {
                throw new VhostUserException("queue " + q.index() + ": its rings are not inside the new memory table ("
                    + memory + ")");
            }
        }
    }

    /** Even virtqueues receive (the guest's receive queue, which the switch fills), odd ones transmit. */
    private static boolean isReceive(int index) {
        return (index & 1) == 0;
    }

    /** True while frames for the guest can go into this pair's receive queue. */
    boolean receiveRuns() {
        return rxq != null && rxEnabled && !broken;
    }

    /** From now on this pair's frames for the guest go to {@code to} (null: into its own queue, or dropped). */
    void handTo(VhostUserPort to) {
        handTo = to;
        if (to != null) {
            to.handedFrom(this);
        }
    }

    private void handedFrom(VhostUserPort from) {
        if (handedFromCount == handedFrom.length) {
            handedFrom = Arrays.copyOf(handedFrom, Math.max(2, 2 * handedFromCount));
        }
        handedFrom[handedFromCount++] = from;
    }

    void clearHandOvers() {
        Arrays.fill(handedFrom, null);
        handedFromCount = 0;
        handTo = null;
    }

    /**
     * Delivers what other pairs handed over and publishes it; before the hand-offs change. Their wake-up is drained
     * too: a pair that no longer takes hand-offs would otherwise be woken for nothing on every turn.
     */
    void deliverHandedOver() {
        if (handedFromCount > 0) {
            handed.drain();
            deliverHandOffs();
            flush();
        }
    }

    /** Makes the port ready for the agent's next turn whether the guest kicks or not. Agent's thread. */
    private void lookAgain() {
        again.signal();
        againSignalled = true;
    }

    private void stopWaitingForKicks() {
        if (kickFd >= 0) {
            wait.remove(kickFd);
            kickFd = -1;
        }
    }

    private void clearFault() {
        if (broken) {
            broken = false;
            faulted = null;
            faultSaid = false;
        }
    }

    // ---- the data path

    /**
     * Takes the next frame the guest transmitted out of its transmit queue into the port's buffer, up to {@link #BATCH}
     * a turn. Every buffer is given back at once (the frame is copied); the used ring is published when the turn's
     * batch ends.
     */
    @Override
    public int receive(RxFrame frame, long now) {
        if (turnFrames == 0) {
            startTurn();
        }
        SplitVirtqueue q = txq;
        if (q == null || !txEnabled || broken) {
            turnFrames = 0;
            return NONE;
        }
        try {
            while (turnFrames < BATCH) {
                int n = q.available();
                if (n == SplitVirtqueue.FAULT) {
                    return fault(q);
                }
                if (n == 0) {
                    if (!kicksOn) { // turn kicks back on, then look once more: a frame may have come meanwhile
                        q.kicks(true);
                        kicksOn = true;
                        continue;
                    }
                    break;
                }
                if (kicksOn) {
                    q.kicks(false); // busy with the ring anyway: the guest need not kick for what it adds now
                    kicksOn = false;
                }
                int head = q.takeHead();
                if (head == SplitVirtqueue.FAULT) {
                    return fault(q);
                }
                long length = q.readChain(head, rx, 0, rx.byteSize());
                if (length == SplitVirtqueue.FAULT) {
                    return fault(q);
                }
                q.pushUsed(head, 0); // nothing written into a transmit buffer
                turnFrames++;
                if (length > rx.byteSize() || length < headerLength + 14) {
                    rxRefused++; // a super-frame past what the port takes, or no Ethernet header
                    continue;
                }
                offload.read(rx, 0);
                frame.local(rx, headerLength, (int) length - headerLength, offload);
                return FRAME;
            }
            q.publishUsed();
            if (turnFrames >= BATCH) {
                lookAgain(); // frames are left and the guest will not kick for them: come back next turn
            }
        } catch (RuntimeException | InternalError e) {
            return memoryFault(q, e);
        }
        turnFrames = 0;
        return NONE;
    }

    /**
     * First call of a turn: clear what woke the agent, so an idle port does not keep it awake, and deliver what other
     * pairs handed over.
     */
    private void startTurn() {
        if (againSignalled) {
            again.drain();
            againSignalled = false;
        }
        if (kicksOn && kickFd >= 0) {
            drainKick();
        }
        if (handedFromCount > 0) {
            // Drained before the rings are read: a pair that hands over after this read signals again, and the next
            // turn comes. A system call per turn, only while the guest runs fewer pairs than there are loops.
            handed.drain();
            deliverHandOffs();
        }
    }

    /** Delivers into this pair's receive queue the frames the pairs that hand to it wrote into their rings. */
    private void deliverHandOffs() {
        for (int k = 0; k < handedFromCount; k++) {
            VhostUserPort from = handedFrom[k];
            delivering = from.handOffMemory;
            from.handOff.read(deliverHandedFrame);
        }
    }

    private void deliverHandedFrame(int type, MutableDirectBuffer buffer, int index, int length) {
        SplitVirtqueue q = rxq;
        if (!receiveRuns()) {
            notRunning++;
            return;
        }
        try {
            deliver(q, delivering, index, length);
        } catch (RuntimeException | InternalError e) {
            memoryFault(q, e);
        }
    }

    private void drainKick() {
        Libc.readNoErrno(kickFd, patch, 8);
    }

    @Override
    public void attach(Backpressure backpressure) {
        // Nothing waits for a sender: frames go into the guest's buffers as they are decided.
    }

    /**
     * Writes copy {@code i} of {@code d} into the guest's receive buffers at once: whole, with a header saying what
     * is left to do, if the driver takes that offload; else finished in software, each segment into buffers of its own.
     * Dropped and counted when the guest has no room ({@link #txQueueFull}) or its queue is not running.
     */
    @Override
    public void send(ForwardingDecision d, int i, Offload what, long now) {
        SplitVirtqueue q = receiveRuns() ? rxq : null; // null: handed to another pair
        if (q == null && handTo == null) {
            notRunning++;
            return;
        }
        try {
            int h = headerLength;
            if (what.isPlain() || guestTakes(what)) {
                int length = d.egressLength(i);
                if (h + length > tx.byteSize()) {
                    tooSmall++;
                    return;
                }
                what.writeHeader(tx, 0, length - d.frame().length());
                int written = d.writeEgress(i, tx, h);
                out(q, h + written);
                return;
            }
            int n = software.prepare(d, i, what);
            for (int k = 0; k < n && !broken; k++) {
                VirtioNetHeader.writeNone(tx, 0);
                int written = software.write(k, tx, h);
                out(q, h + written);
            }
        } catch (RuntimeException | InternalError e) {
            memoryFault(q, e);
        }
    }

    /** True if the guest's driver accepted the offload {@code o} asks for. */
    private boolean guestTakes(Offload o) {
        if (!VirtioFeatures.has(features, VirtioFeatures.NET_F_GUEST_CSUM)) {
            return false; // every offloaded frame leaves its checksum to the receiver
        }
        if (!o.isSegmented()) {
            return true;
        }
        if (o.ecn() && !VirtioFeatures.has(features, VirtioFeatures.NET_F_GUEST_ECN)) {
            return false;
        }
        return switch (o.gsoType()) {
            case VirtioNetHeader.GSO_TCPV4 -> VirtioFeatures.has(features, VirtioFeatures.NET_F_GUEST_TSO4);
            case VirtioNetHeader.GSO_TCPV6 -> VirtioFeatures.has(features, VirtioFeatures.NET_F_GUEST_TSO6);
            case VirtioNetHeader.GSO_UDP_L4 -> VirtioFeatures.has(features, VirtioFeatures.NET_F_GUEST_USO4)
                && VirtioFeatures.has(features, VirtioFeatures.NET_F_GUEST_USO6);
            default -> false;
        };
    }

    /** The {@code length} bytes at {@code tx[0]} into this pair's receive queue {@code q}, or handed over if null. */
    private void out(SplitVirtqueue q, int length) {
        if (q != null) {
            deliver(q, tx, 0, length);
            return;
        }
        int at = handOff.tryClaim(1, length);
        if (at < 0) {
            queueFull++; // the pair that takes this one's frames has not kept up: as if the guest had no buffers
            return;
        }
        MemorySegment.copy(tx, 0, handOffMemory, at, length);
        handOff.commit(at);
        handedThisTurn = true;
    }

    /**
     * Copies the {@code length} bytes at {@code src[from]} (header and frame) into the guest's receive buffers: one
     * chain, or with mergeable buffers as many as it takes, their count patched into the header's {@code num_buffers}. A frame
     * that does not fit gives its buffers back untouched (as far as the driver can tell: the used ring is not
     * published yet).
     */
    private void deliver(SplitVirtqueue q, MemorySegment src, long from, int length) {
        if (headerLength == 12) {
            src.set(U16, from + 10, (short) 1); // num_buffers: one, unless patched below
        }
        int available = q.available();
        if (available == SplitVirtqueue.FAULT) {
            fault(q);
            return;
        }
        int taken = 0;
        long done = 0;
        int first = -1;
        while (done < length) {
            if (taken == available) { // the guest may have added buffers since the ring was last read
                int more = q.refresh();
                if (more == SplitVirtqueue.FAULT) {
                    fault(q);
                    return;
                }
                available = taken + more;
            }
            if (taken == available) {
                q.untake(taken);
                q.unpush(taken);
                queueFull++; // the guest has not given the switch enough buffers: it is not keeping up
                return;
            }
            int head = q.takeHead();
            if (head == SplitVirtqueue.FAULT) {
                fault(q);
                return;
            }
            taken++;
            long w = q.writeChain(head, src, from + done, length - done);
            if (w == SplitVirtqueue.FAULT) {
                fault(q);
                return;
            }
            q.pushUsed(head, w);
            if (first < 0) {
                first = head;
            }
            done += w;
            if (!mergeable && done < length) {
                q.untake(taken);
                q.unpush(taken);
                tooSmall++; // without mergeable buffers a frame must fit one buffer
                return;
            }
        }
        if (taken > 1 && !q.patchU16(first, 10, taken, patch)) {
            fault(q);
        }
    }

    /** Hands what this turn completed back to the guest, and signals it where it asked to be. */
    @Override
    public boolean flush() {
        if (handedThisTurn) {
            handedThisTurn = false;
            VhostUserPort to = handTo;
            if (to != null) {
                to.wakeForHandOff();
            }
        }
        if (broken) {
            return false;
        }
        try {
            SplitVirtqueue r = rxq;
            if (r != null) {
                r.publishUsed();
                if (rxCall >= 0 && r.takeSignal()) {
                    Libc.writeNoErrno(rxCall, one, 8);
                }
            }
            SplitVirtqueue t = txq;
            if (t != null && txCall >= 0 && t.takeSignal()) {
                Libc.writeNoErrno(txCall, one, 8);
            }
        } catch (RuntimeException | InternalError e) {
            memoryFault(rxq != null ? rxq : txq, e);
        }
        return false; // nothing for a sender: the guest's memory is written already
    }

    /** Another loop handed this pair frames: its next turn delivers them. Any thread. */
    private void wakeForHandOff() {
        handed.signal();
    }

    /** Stops the port: the guest broke ring {@code q}. Said once on the conductor's next tick. */
    private int fault(SplitVirtqueue q) {
        if (!broken) {
            faulted = q;
            ringErrors++;
            stopWaitingForKicks();
            broken = true;
        }
        turnFrames = 0;
        return NONE;
    }

    private int memoryFault(SplitVirtqueue q, Throwable e) {
        if (q != null && q.fault() == null) {
            q.memoryFault(e.toString());
        }
        return fault(q);
    }

    @Override
    public int transmit() {
        return 0;
    }

    @Override
    public boolean hasPending() {
        return false;
    }

    /** Down from the start: no guest has run its queues yet. */
    @Override
    public boolean linkStartsDown() {
        return true;
    }

    /** Up while both queues run and are enabled; down while the guest is not connected, not ready, or stopped. */
    @Override
    public LinkState linkState() {
        return rxq != null && txq != null && rxEnabled && txEnabled && !broken ? LinkState.UP : LinkState.DOWN;
    }

    @Override
    public String takeNotice() {
        if (broken && !faultSaid) {
            faultSaid = true;
            SplitVirtqueue q = faulted;
            String what = q == null ? "its memory faulted" : q.fault() == null ? "unknown" : q.describeFault();
            return "the guest wrote garbage in its rings: " + what + "; port stopped (counted in guest_ring_errors)"
                + " until the guest's driver restarts its rings or the front-end reconnects";
        }
        return null;
    }

    /** The fault that stopped the port, or null. */
    public RingFault fault() {
        SplitVirtqueue q = faulted;
        return broken && q != null ? q.fault() : null;
    }

    @Override
    public String goneReason() {
        return "the front-end is gone";
    }

    /** Frames dropped because the guest had no receive buffers for them. */
    @Override
    public long txQueueFull() {
        return queueFull;
    }

    /** Frames dropped because the guest's receive queue was not running, or its buffers were too small. */
    @Override
    public long txRefused() {
        return notRunning + tooSmall + software.refused();
    }

    @Override
    public long rxRefused() {
        return rxRefused;
    }

    @Override
    public long superFramesCut() {
        return software.superFrames();
    }

    @Override
    public long segmentsFromCuts() {
        return software.segments();
    }

    @Override
    public long guestRingErrors() {
        return ringErrors;
    }

    @Override
    public String describe() {
        VhostUserEndpoint e = control.endpoint();
        return "vhost-user socket " + e.path() + " (" + e.mode().label()
            + (e.group() == null ? "" : ", group " + e.group()) + ")"
            + (pair == 0 ? "" : ", queue pair " + pair);
    }

    @Override
    public void close() {
        control.close(); // the first pair closed closes the socket: its session stops the queues (commands fail fast
        closeOwn();      // now) and unmaps the guest's memory
    }

    void closeOwn() {
        wait.close();
        again.close();
        handed.close();
        software.close();
        arena.close();
    }
}
