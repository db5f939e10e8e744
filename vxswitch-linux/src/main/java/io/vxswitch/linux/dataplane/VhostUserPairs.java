package io.vxswitch.linux.dataplane;

import io.vxswitch.linux.vhost.GuestMemory;
import io.vxswitch.linux.vhost.SplitVirtqueue;
import io.vxswitch.linux.vhost.VhostDevice;
import io.vxswitch.linux.vhost.VhostUserEndpoint;
import io.vxswitch.linux.vhost.VhostUserException;
import io.vxswitch.linux.vhost.VirtioFeatures;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The control side of one vhost-user port: its socket ({@link VhostUserEndpoint}), what the front-end negotiated, and
 * its queue pairs, one {@link VhostUserPort} per forwarding loop. Virtqueue {@code 2p} is pair {@code p}'s receive
 * queue, {@code 2p + 1} its transmit queue (virtio 1.0 §5.1.2); the session's changes to queue {@code i} go to pair
 * {@code i / 2}, on the conductor's thread while every loop is held, so no loop sees a pair half changed.
 *
 * <p><b>Fewer pairs than loops.</b> A driver runs as many pairs as it likes (Linux: one per vCPU; testpmd: what
 * {@code queues=} says), and the loops are the switch's. A guest transmits only on the pairs it runs, so a loop whose
 * pair is idle just reads nothing; but frames for the guest are decided on every loop. A loop whose pair's receive
 * queue does not run hands them to a running pair ({@link VhostUserPort#handTo}): the pairs are spread over the running
 * ones, {@code p mod running}, and each hand-off ring has one writer and one reader, so no loop takes a lock. Which
 * pairs run is worked out again after every change the front-end makes ({@link #reroute}).
 */
final class VhostUserPairs implements VhostDevice {
    /** How long a control thread waits at most between two looks whether the port is closing. */
    private static final long COMMAND_POLL_MILLIS = 100;

    private final String name;
    private final boolean offloads;
    private final Consumer<String> log;
    private final VhostUserPort[] pairs;
    private final VhostUserEndpoint endpoint;
    private volatile boolean closing;
    private boolean closed;

    private VhostUserPairs(String name, int switchPort, int pairs, int maxFrame, boolean offloads, Path socket,
                           VhostUserEndpoint.Mode mode, String group, Consumer<String> log) {
        this.name = name;
        this.offloads = offloads;
        this.log = log;
        this.pairs = new VhostUserPort[pairs];
        try {
            for (int p = 0; p < pairs; p++) {
                this.pairs[p] = new VhostUserPort(name, switchPort, p, maxFrame, offloads, this, pairs > 1);
            }
            this.endpoint = VhostUserEndpoint.open(socket, mode, group, this,
                line -> log.accept("port " + name + ": " + line));
        } catch (RuntimeException e) {
            for (VhostUserPort p : this.pairs) {
                if (p != null) {
                    p.closeOwn();
                }
            }
            throw e;
        }
    }

    /**
     * A port on the vhost-user socket {@code socket} with {@code pairs} queue pairs, one device per forwarding loop
     * (pair {@code p} for loop {@code p}); a server's socket is created now. The protocol starts once pair 0 is in a
     * dataplane ({@link VhostUserPort#attachCommands}).
     *
     * @throws io.vxswitch.linux.LinuxException if a server's socket cannot be created
     */
    static List<VhostUserPort> open(String name, int switchPort, int pairs, int maxFrame, boolean offloads, Path socket,
                                    VhostUserEndpoint.Mode mode, String group, Consumer<String> log) {
        if (pairs < 1) {
            throw new IllegalArgumentException("a vhost-user port needs a queue pair, got " + pairs);
        }
        VhostUserPairs p = new VhostUserPairs(name, switchPort, pairs, maxFrame, offloads, socket, mode, group, log);
        List<VhostUserPort> list = new ArrayList<>(pairs);
        Collections.addAll(list, p.pairs);
        return List.copyOf(list);
    }

    VhostUserEndpoint endpoint() {
        return endpoint;
    }

    boolean offloads() {
        return offloads;
    }

    /** Starts the control thread: from now on, the front-end's changes reach the pairs through {@code commands}. */
    void start(Consumer<Runnable> commands) {
        endpoint.start(command -> runOnLoop(commands, command), "vhost-" + name);
    }

    private void runOnLoop(Consumer<Runnable> commands, Runnable command) {
        if (closing) {
            throw new VhostUserException("the port is closing");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        commands.accept(() -> {
            try {
                command.run();
                done.complete(null);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        });
        while (true) {
            try {
                done.get(COMMAND_POLL_MILLIS, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                if (closing) {
                    throw new VhostUserException("the port is closing");
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new VhostUserException(e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VhostUserException("interrupted");
            }
        }
    }

    // ---- VhostDevice: on the conductor's thread through commands, every loop held

    @Override
    public long offeredFeatures() {
        long f = VirtioFeatures.offered(offloads);
        return pairs.length > 1 ? f | VirtioFeatures.bit(VirtioFeatures.NET_F_MQ) : f;
    }

    @Override
    public int queuePairs() {
        return pairs.length;
    }

    @Override
    public void negotiated(long features) {
        for (VhostUserPort p : pairs) {
            p.negotiated(features);
        }
        log.accept("port " + name + ": the guest's driver accepted " + VirtioFeatures.describe(features));
    }

    @Override
    public void startQueue(SplitVirtqueue q, int kickFd, int callFd, boolean enabled) {
        pairs[q.index() / 2].startQueue(q, kickFd, callFd, enabled);
        reroute();
    }

    @Override
    public int stopQueue(int index) {
        int base = pairs[index / 2].stopQueue(index);
        reroute();
        return base;
    }

    @Override
    public void enableQueue(int index, boolean enabled) {
        pairs[index / 2].enableQueue(index, enabled);
        reroute();
    }

    @Override
    public void callFd(int index, int fd) {
        pairs[index / 2].callFd(index, fd);
    }

    @Override
    public void memory(GuestMemory memory) {
        for (VhostUserPort p : pairs) {
            p.memory(memory);
        }
    }

    @Override
    public void notice(String line) {
        log.accept("port " + name + ": " + line);
    }

    /**
     * Works out again where each pair's frames for the guest go: into its own receive queue if it runs, else handed to
     * running pair {@code p mod running}. What a pair had handed over and is not delivered yet is delivered first,
     * by the pair that took it, so no frame waits in a ring nobody reads. Every loop is held.
     */
    void reroute() {
        for (VhostUserPort p : pairs) {
            p.deliverHandedOver();
        }
        int running = 0;
        for (VhostUserPort p : pairs) {
            running += p.receiveRuns() ? 1 : 0;
        }
        VhostUserPort[] targets = new VhostUserPort[running];
        int t = 0;
        for (VhostUserPort p : pairs) {
            if (p.receiveRuns()) {
                targets[t++] = p;
            }
        }
        for (VhostUserPort p : pairs) {
            p.clearHandOvers();
        }
        for (int i = 0; i < pairs.length; i++) {
            VhostUserPort p = pairs[i];
            VhostUserPort to = p.receiveRuns() || running == 0 ? null : targets[i % running];
            p.handTo(to);
        }
    }

    /** Closes the socket (its session stops the queues); each pair frees its own buffers. Idempotent. */
    synchronized void close() {
        closing = true;
        if (!closed) {
            closed = true;
            endpoint.close();
        }
    }
}
