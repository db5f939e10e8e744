package io.vxswitch.linux.vhost;

import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.Libc;

import static io.vxswitch.linux.vhost.VhostUserMessage.*;

/**
 * The back-end's side of one vhost-user connection (QEMU's docs/interop/vhost-user.rst): negotiates features,
 * maps the guest's memory, collects each ring's size, addresses, base and descriptors, and starts, enables and stops
 * the device's queues as the front-end asks. It owns everything the front-end handed over (the memory mappings, the
 * kick, call and error descriptors) and gives it back when the connection ends ({@link #close}).
 *
 * <p>Ring life (vhost-user.rst, "Ring states"): a ring starts when its kick descriptor arrives
 * ({@code SET_VRING_KICK}) and stops on {@code GET_VRING_BASE}; with {@code VHOST_USER_F_PROTOCOL_FEATURES} it starts
 * disabled until {@code SET_VRING_ENABLE}, without it enabled. A disabled ring is left alone (as DPDK's back-end does),
 * its frames waiting in it.
 *
 * <p>Runs on the connection's control thread; the device's data path is changed only through {@link LoopCommands}.
 * A message this back-end cannot accept throws {@link VhostUserException}, and the caller closes the connection.
 */
public final class VhostUserSession implements AutoCloseable {
    private final VhostDevice device;
    private final LoopCommands loop;
    private final Queue[] queues;
    private long features;
    private boolean featuresSet;
    private long protocolFeatures;
    private GuestMemory memory;

    /** What the front-end said about one ring, and whether it runs. */
    private static final class Queue {
        int size;
        long desc;
        long avail;
        long used;
        boolean addressed;
        int base;
        int kick = -1;
        int call = -1;
        int err = -1;
        boolean enabled;
        boolean enabledSet;
        boolean started;
    }

    public VhostUserSession(VhostDevice device, LoopCommands loop) {
        this.device = device;
        this.loop = loop;
        this.queues = new Queue[2 * device.queuePairs()];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new Queue();
        }
    }

    /** The features negotiated so far. */
    public long features() {
        return features;
    }

    /**
     * Handles one message from the front-end and sends its reply, if it has one (or asked for an ack).
     *
     * @return false if the reply could not be sent (the front-end is gone)
     * @throws VhostUserException if the message cannot be accepted; the connection should be closed
     */
    public boolean handle(VhostUserMessage m, VhostUserChannel channel) {
        int request = m.request();
        switch (request) {
            case GET_FEATURES -> {
                return channel.reply(m.u64(device.offeredFeatures()), 8);
            }
            case GET_PROTOCOL_FEATURES -> {
                return channel.reply(m.u64(VirtioFeatures.offeredProtocol()), 8);
            }
            case GET_QUEUE_NUM -> {
                return channel.reply(m.u64(device.queuePairs()), 8);
            }
            case GET_VRING_BASE -> {
                need(m, 8);
                int index = queueIndex(m.stateIndex(), m);
                int base = stop(index);
                return channel.reply(m.state(index, base), 8);
            }
            default -> {
                try {
                    apply(m);
                } catch (VhostUserException | LinuxException e) {
                    if (acks(m)) {
                        channel.reply(m.u64(1), 8); // REPLY_ACK: non-zero is failure; then the connection closes
                    }
                    throw e instanceof VhostUserException v ? v
                        : new VhostUserException(VhostUserMessage.name(request) + ": " + e.getMessage());
                }
                return !acks(m) || channel.reply(m.u64(0), 8);
            }
        }
    }

    private boolean acks(VhostUserMessage m) {
        return m.needsReply() && VirtioFeatures.has(protocolFeatures, VirtioFeatures.PROTOCOL_F_REPLY_ACK);
    }

    /** A request without a reply of its own. */
    private void apply(VhostUserMessage m) {
        switch (m.request()) {
            case SET_OWNER -> { } // "session start": this connection is the session
            case RESET_OWNER -> stopAll(); // deprecated; the document advises disabling all rings
            case SET_FEATURES -> setFeatures(m);
            case SET_PROTOCOL_FEATURES -> {
                need(m, 8);
                protocolFeatures = m.u64() & VirtioFeatures.offeredProtocol();
            }
            case SET_MEM_TABLE -> setMemTable(m);
            case SET_VRING_NUM -> {
                need(m, 8);
                Queue q = queue(m.stateIndex(), m);
                int size = m.stateNum();
                if (size < 1 || size > SplitVirtqueue.MAX_SIZE || Integer.bitCount(size) != 1) {
                    throw new VhostUserException("SET_VRING_NUM: queue " + m.stateIndex() + " of " + size
                        + " entries (a power of two up to " + SplitVirtqueue.MAX_SIZE + ")");
                }
                q.size = size;
            }
            case SET_VRING_ADDR -> setAddr(m);
            case SET_VRING_BASE -> {
                need(m, 8);
                queue(m.stateIndex(), m).base = m.stateNum() & 0xFFFF;
            }
            case SET_VRING_KICK -> setKick(m);
            case SET_VRING_CALL -> setCall(m);
            case SET_VRING_ERR -> {
                int index = descriptorIndex(m);
                Queue q = queues[index];
                closeFd(q.err);
                q.err = takeDescriptor(m); // kept to be closed with the session: this device reports no errors there
            }
            case SET_VRING_ENABLE -> {
                need(m, 8);
                int index = queueIndex(m.stateIndex(), m);
                Queue q = queues[index];
                q.enabled = m.stateNum() != 0;
                q.enabledSet = true;
                if (q.started) {
                    boolean on = q.enabled;
                    loop.run(() -> device.enableQueue(index, on));
                }
            }
            case NET_SET_MTU, SEND_RARP -> { } // not offered (no MTU, no RARP protocol feature): nothing to do
            default -> throw new VhostUserException(VhostUserMessage.name(m.request())
                + " is not supported by this back-end (it did not offer the feature that needs it)");
        }
    }

    private void setFeatures(VhostUserMessage m) {
        need(m, 8);
        long asked = m.u64();
        long extra = asked & ~device.offeredFeatures();
        if (extra != 0) {
            throw new VhostUserException(String.format("SET_FEATURES: features 0x%x were not offered (offered 0x%x)",
                extra, device.offeredFeatures()));
        }
        features = asked;
        featuresSet = true;
        loop.run(() -> device.negotiated(asked));
    }

    private void setMemTable(VhostUserMessage m) {
        need(m, 8);
        int n = m.regionCount();
        if (n < 1 || n > GuestMemory.MAX_REGIONS) {
            throw new VhostUserException("SET_MEM_TABLE with " + n + " regions (1 to " + GuestMemory.MAX_REGIONS + ")");
        }
        need(m, 8 + REGION_SIZE * n);
        if (m.fdCount() != n) {
            throw new VhostUserException("SET_MEM_TABLE with " + n + " regions and " + m.fdCount()
                + " descriptors (one per region)");
        }
        GuestMemory.Region[] regions = new GuestMemory.Region[n];
        int[] fds = new int[n];
        for (int i = 0; i < n; i++) {
            regions[i] = m.region(i);
            fds[i] = m.fd(i);
        }
        GuestMemory next = GuestMemory.map(regions, fds); // the message's descriptors are closed after the reply
        GuestMemory old = memory;
        memory = next;
        loop.run(() -> device.memory(next));
        if (old != null) {
            old.close(); // the data path moved to the new table: nothing uses the old one
        }
    }

    private void setAddr(VhostUserMessage m) {
        need(m, VRING_ADDR_SIZE);
        int index = queueIndex(m.addrIndex(), m);
        Queue q = queues[index];
        q.desc = m.addrDescriptors();
        q.avail = m.addrAvailable();
        q.used = m.addrUsed();
        q.addressed = true;
        if (q.started) { // new addresses for a running ring (logging turned on or off): restart it where it was
            q.base = stop(index) & 0xFFFF;
            start(index);
        }
    }

    private void setKick(VhostUserMessage m) {
        int index = descriptorIndex(m);
        Queue q = queues[index];
        if ((m.u64() & VRING_NOFD_MASK) != 0) {
            throw new VhostUserException("SET_VRING_KICK without a descriptor (polling mode) for queue " + index
                + ": this back-end waits for kicks");
        }
        int fd = takeDescriptor(m);
        if (q.started) {
            q.base = stop(index) & 0xFFFF;
        }
        closeFd(q.kick);
        q.kick = fd;
        start(index);
    }

    private void setCall(VhostUserMessage m) {
        int index = descriptorIndex(m);
        Queue q = queues[index];
        int fd = (m.u64() & VRING_NOFD_MASK) != 0 ? -1 : takeDescriptor(m);
        int old = q.call;
        q.call = fd;
        if (q.started) {
            loop.run(() -> device.callFd(index, fd));
        }
        closeFd(old);
    }

    /** Starts ring {@code index} with what the front-end said about it. */
    private void start(int index) {
        Queue q = queues[index];
        if (memory == null || q.size == 0 || !q.addressed) {
            throw new VhostUserException("queue " + index + " kicked before its "
                + (memory == null ? "memory table" : q.size == 0 ? "size" : "addresses") + " were given");
        }
        SplitVirtqueue vq = SplitVirtqueue.start(index, q.size, memory, q.desc, q.avail, q.used, q.base);
        // Without protocol features a ring runs as soon as it starts; with them, once enabled.
        boolean protocol = VirtioFeatures.has(features, VirtioFeatures.VHOST_USER_F_PROTOCOL_FEATURES);
        boolean enabled = !protocol || q.enabledSet && q.enabled;
        int kick = q.kick;
        int call = q.call;
        loop.run(() -> device.startQueue(vq, kick, call, enabled));
        q.started = true;
        if (!featuresSet) {
            device.notice("queue " + index + " started before SET_FEATURES");
        }
    }

    /** Stops ring {@code index}; its next available index, or its base if it was not running. */
    private int stop(int index) {
        Queue q = queues[index];
        if (!q.started) {
            return q.base;
        }
        int[] base = new int[1];
        loop.run(() -> base[0] = device.stopQueue(index));
        q.started = false;
        q.base = base[0] < 0 ? q.base : base[0];
        return q.base;
    }

    private void stopAll() {
        for (int i = 0; i < queues.length; i++) {
            stop(i);
        }
    }

    private int queueIndex(int index, VhostUserMessage m) {
        if (index < 0 || index >= queues.length) {
            throw new VhostUserException(VhostUserMessage.name(m.request()) + " for queue " + index + " of "
                + queues.length + " (" + device.queuePairs() + " queue pair" + (queues.length == 2 ? "" : "s") + ")");
        }
        return index;
    }

    private Queue queue(int index, VhostUserMessage m) {
        return queues[queueIndex(index, m)];
    }

    /** The queue a KICK/CALL/ERR message is for (bits 0-7 of its u64). */
    private int descriptorIndex(VhostUserMessage m) {
        need(m, 8);
        return queueIndex((int) (m.u64() & VRING_INDEX_MASK), m);
    }

    private static int takeDescriptor(VhostUserMessage m) {
        if (m.fdCount() != 1) {
            throw new VhostUserException(VhostUserMessage.name(m.request()) + " with " + m.fdCount()
                + " descriptors (one expected)");
        }
        return m.takeFd(0);
    }

    private static void need(VhostUserMessage m, int size) {
        if (Integer.compareUnsigned(m.size(), size) < 0) {
            throw new VhostUserException(VhostUserMessage.name(m.request()) + " with a payload of " + m.size()
                + " bytes (" + size + " needed)");
        }
    }

    private static void closeFd(int fd) {
        if (fd >= 0) {
            Libc.close(fd);
        }
    }

    /**
     * The connection ended: every queue stops, the device lets go of the memory, and every descriptor and mapping the
     * front-end gave is released.
     */
    @Override
    public void close() {
        try {
            stopAll();
            loop.run(() -> device.memory(null));
        } catch (VhostUserException e) {
            // the data path is stopping too: it no longer touches the queues
        }
        for (Queue q : queues) {
            closeFd(q.kick);
            closeFd(q.call);
            closeFd(q.err);
            q.kick = q.call = q.err = -1;
            q.started = false;
        }
        if (memory != null) {
            memory.close();
            memory = null;
        }
    }
}
