package io.vxswitch.bgp.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The BGP speaker's thread: one selector for every neighbor's TCP connection, the sessions' timers ticked every
 * 100 ms, and tasks from other threads (the EVPN layer's route changes) run between. Everything a session does
 * happens here, so sessions and the RIB they feed need no locks. It is off the forwarding threads by construction:
 * what it learns reaches the switch only through the dataplane's command path.
 */
public final class BgpSpeaker implements AutoCloseable {
    private static final long TICK_MILLIS = 100;

    private final Selector selector;
    private final Consumer<String> log;
    private final List<BgpSession> sessions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Runnable> tickTasks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    public BgpSpeaker(Consumer<String> log) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the BGP speaker", e);
        }
        this.log = log;
        this.thread = Thread.ofPlatform().name("bgp-speaker").daemon(true).unstarted(this::run);
    }

    /** Adds a neighbor and starts its session (from any thread; takes effect on the speaker's). */
    public void addNeighbor(SessionConfig config, SessionEvents events) {
        execute(() -> {
            TcpConnection connection = new TcpConnection(selector, config);
            BgpSession session = new BgpSession(config, connection, events, log);
            connection.attach(session);
            sessions.add(session);
            session.start(System.nanoTime());
        });
    }

    /** Runs {@code task} on the speaker's thread every tick (100 ms), after the sessions' timers. */
    public void everyTick(Runnable task) {
        tickTasks.add(task);
    }

    public void start() {
        thread.start();
    }

    /** Runs {@code task} on the speaker's thread, soon. */
    public void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** The sessions, for the speaker's own thread (tasks) and for read-only views. */
    public List<BgpSession> sessions() {
        return List.copyOf(sessions);
    }

    private void run() {
        long nextTick = System.nanoTime();
        try {
            while (running) {
                selector.select(TICK_MILLIS);
                long now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    guarded(() -> ((TcpConnection) key.attachment()).ready(now, readBuffer));
                }
                selector.selectedKeys().clear();
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    guarded(task);
                }
                if (now - nextTick >= 0) {
                    nextTick = now + TICK_MILLIS * 1_000_000;
                    for (BgpSession s : sessions) {
                        guarded(() -> s.tick(now));
                    }
                    tickTasks.forEach(this::guarded);
                }
            }
            long now = System.nanoTime();
            for (BgpSession s : sessions) {
                guarded(() -> s.stop(now, "vxswitch is shutting down"));
            }
        } catch (IOException e) {
            log.accept("BGP speaker stopped: " + e.getMessage());
        } finally {
            try {
                selector.close();
            } catch (IOException ignored) {
                // the process is ending the speaker; nothing to report
            }
            stopped.countDown();
        }
    }

    /** A bug in a layer above must not take every session down with the thread: log it, go on. */
    private void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.accept("BGP speaker: internal error: " + e);
        }
    }

    /** Sends each Established neighbor a Cease (administrative shutdown) and stops the thread. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        if (thread.isAlive()) {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
