package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.ForwardingLane;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.packet.offload.Offload;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

import java.util.ArrayList;
import java.util.List;

/**
 * One forwarding agent: each turn it receives from its ready ports (one queue of each tap, a tunnel socket of its
 * own), hands every frame to the switch through its own {@link ForwardingLane}, queues the copies on its own
 * devices, and at the end of the turn publishes them for a {@link SenderAgent}. A frame goes one way: device,
 * {@link RxFrame}, decision, egress devices; nothing calls back into the agent. Agents share the switch and nothing they write
 * per frame. Their devices and the switch change only while they are held ({@link AgentHold}) or not running: the
 * {@link Conductor} does that.
 *
 * <p>A device that fails for good (a deleted tap) is no longer waited on, and is reported to the conductor, which
 * follows its link.
 */
final class ForwardingAgent implements Agent {
    private final String roleName;
    private final ForwardingLane lane;
    private final int laneIndex;
    private final ForwardingDecision decision;
    /** What a truncated mirror copy is sent as: a plain frame, whatever its original needed. */
    private final Offload plain = new Offload();
    private final DescriptorWait descriptors;
    private final AgentHold hold = new AgentHold();
    private final Captures captures;
    /** Wakes the sender on another thread after a publish; null when the sender runs on this agent's thread. */
    private final SenderIdle sender;
    /** The frame being forwarded, as its device received it. */
    private final RxFrame frame = new RxFrame();
    /** This agent's device of each switch port, and of each descriptor. */
    private final PortDevice[] byPort;
    private final PortDevice[] byFd = new PortDevice[4096];
    private final List<PortDevice> devices = new ArrayList<>();
    /** This agent's sender of each ERSPAN session, by the session's slot ({@code Mirror.remoteSlot}). */
    private final ErspanSender[] erspanBySlot = new ErspanSender[Switch.MAX_REMOTE_MIRRORS];
    private final List<ErspanSender> erspanSenders = new ArrayList<>();
    /** Devices that failed for good, for the conductor. */
    private final OneToOneConcurrentArrayQueue<PortDevice> gone = new OneToOneConcurrentArrayQueue<>(64);

    /**
     * @param captures the dataplane's captures
     * @param sender   the idle strategy of a sender on another thread, or null
     */
    ForwardingAgent(String roleName, ForwardingLane lane, ForwardingDecision decision, DescriptorWait descriptors,
                    Captures captures, SenderIdle sender, int maxPorts) {
        this.roleName = roleName;
        this.lane = lane;
        this.laneIndex = lane.index();
        this.decision = decision;
        this.descriptors = descriptors;
        this.captures = captures;
        this.sender = sender;
        this.byPort = new PortDevice[maxPorts];
    }

    @Override
    public String roleName() {
        return roleName;
    }

    /** The forwarding lane (and its index) this agent forwards through. */
    int lane() {
        return lane.index();
    }

    AgentHold hold() {
        return hold;
    }

    DescriptorWait descriptors() {
        return descriptors;
    }

    /** This agent's devices, in the order added; while it is held or not running. */
    List<PortDevice> devices() {
        return devices;
    }

    boolean owns(PortDevice device) {
        return devices.contains(device);
    }

    /** Devices that failed for good since the last call, for the conductor. */
    PortDevice pollGone() {
        return gone.poll();
    }

    /** While held or not running. */
    void add(PortDevice device) {
        if (device.fd() >= byFd.length) {
            throw new IllegalStateException("descriptor " + device.fd() + " is beyond the agent's table ("
                + byFd.length + ")");
        }
        byPort[device.switchPort()] = device;
        byFd[device.fd()] = device;
        devices.add(device);
        descriptors.add(device.fd());
    }

    /** Sends the ERSPAN copies of session slot {@code slot} through {@code sender}. While held or not running. */
    void addErspan(int slot, ErspanSender sender) {
        erspanBySlot[slot] = sender;
        erspanSenders.add(sender);
    }

    /** No more ERSPAN copies of session slot {@code slot}; returns its sender, or null. While held or not running. */
    ErspanSender removeErspan(int slot) {
        ErspanSender s = erspanBySlot[slot];
        if (s != null) {
            s.flush(); // what this turn queued goes out before the sender forgets it
            erspanBySlot[slot] = null;
            erspanSenders.remove(s);
        }
        return s;
    }

    /** Forgets {@code device}: no more reads, no more copies queued to it. While held or not running. */
    void remove(PortDevice device) {
        devices.remove(device);
        forget(device);
        if (byPort[device.switchPort()] == device) {
            byPort[device.switchPort()] = null;
        }
    }

    /** Stops waiting on a device whose descriptor fails for good; its port keeps its copies. */
    void forget(PortDevice device) {
        if (byFd[device.fd()] == device) {
            descriptors.remove(device.fd());
            byFd[device.fd()] = null;
        }
    }

    @Override
    public void onStart() {
        hold.running(true);
    }

    /**
     * One turn: held while the conductor changes the switch; then each ready device's frames, one way each: received
     * into the descriptor, decided, a copy queued on each egress device; then every copy published for the sender.
     */
    @Override
    public int doWork() {
        hold.parkIfAsked();
        int ready = descriptors.ready();
        long now = System.nanoTime();
        int frames = 0;
        for (int k = 0; k < ready; k++) {
            PortDevice device = byFd[descriptors.fd(k)];
            if (device != null) {
                frames += receiveAll(device, now);
            }
        }
        if (publish() && sender != null) {
            sender.wakeIfParked();
        }
        return frames;
    }

    /** Forwards every frame {@code device} has for this turn; a device gone for good is forgotten and reported. */
    private int receiveAll(PortDevice device, long now) {
        int frames = 0;
        int r;
        while ((r = device.receive(frame, now)) == PortDevice.FRAME) {
            forward(device.switchPort(), frame, now);
            frames++;
        }
        if (r == PortDevice.GONE) {
            forget(device);
            gone.offer(device);
        }
        return frames;
    }

    /** Publishes what this agent's devices queued; true if any had something. */
    private boolean publish() {
        boolean published = false;
        for (int i = 0; i < devices.size(); i++) {
            published |= devices.get(i).flush();
        }
        for (int i = 0; i < erspanSenders.size(); i++) { // no ERSPAN session: not entered
            published |= erspanSenders.get(i).flush();
        }
        return published;
    }

    @Override
    public void onClose() {
        publish();
        hold.running(false);
    }

    /** Decides on one received frame and queues its copies; a capture of its port sees it as it came in. */
    private void forward(int port, RxFrame f, long now) {
        CaptureRing c = captures.of(port, laneIndex);
        if (f.remote == RxFrame.LOCAL) {
            if (c != null) {
                c.offer(f.segment, f.offset, f.length, now);
            }
            lane.forward(port, f.segment, f.offset, f.length, now, decision);
        } else {
            lane.forwardFromTunnel(port, f.remote, f.vlan, f.segment, f.offset, f.length, now, decision, null);
            if (c != null) { // the inner frame, tagged as the switch saw it
                c.offer(decision.frame().segment(), decision.frame().offset(), decision.frame().length(), now);
            }
        }
        dispatch(f.offload, now);
    }

    /**
     * Queues every copy of the current decision on its port's device: the forwarded copies, then the mirror copies,
     * each cut to its session's truncation first (which cuts the frame: the forwarded copies must be queued by then).
     */
    private void dispatch(Offload offload, long now) {
        ForwardingDecision d = decision;
        int forwarded = d.forwardedCount();
        for (int i = 0; i < forwarded; i++) {
            queue(d, i, offload, now);
        }
        for (int i = forwarded; i < d.egressCount(); i++) { // no mirror session: never entered
            boolean truncated = d.isTruncated(i);
            d.prepareMirrorCopy(i);
            // A mirror copy cut short is no longer the super-frame or the partial checksum the offload describes: it
            // goes as the plain bytes it is, as a capture's snap length keeps them.
            if (d.isRemoteMirror(i)) {
                ErspanSender s = erspanBySlot[d.remoteMirror(i)];
                if (s != null) { // null only between a session's removal from the switch and from this agent
                    s.send(d, i, truncated ? plain : offload, now);
                }
                continue;
            }
            queue(d, i, truncated ? plain : offload, now);
        }
    }

    private void queue(ForwardingDecision d, int i, Offload offload, long now) {
        int port = d.egressPort(i);
        PortDevice out = byPort[port];
        if (out != null) {
            out.send(d, i, offload, now);
        }
        CaptureRing c = captures.of(port, laneIndex);
        if (c != null) {
            c.offerEgress(d, i, now);
        }
    }
}
