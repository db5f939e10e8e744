package io.vxswitch.app.daemon;

import io.vxswitch.forwarding.counters.CounterInstance;
import io.vxswitch.forwarding.flow.FlowObserver;
import io.vxswitch.ipfix.FlowExporter;
import io.vxswitch.ipfix.IpfixCounter;
import io.vxswitch.ipfix.IpfixOptions;
import io.vxswitch.ipfix.IpfixStatus;
import io.vxswitch.ipfix.UdpCollectors;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * IPFIX flow export of a running host switch: the exporter on a thread of its own ({@code vxswitch-ipfix}) and the
 * lanes' observers it drains. {@link #apply} starts, changes or stops it, at start-up and on reload: new observers
 * are given to the lanes on the switch loop (while they are held), then the old exporter drains its old rings one
 * last time and sends every flow it held (forced end), so a reload loses no counted frame, and only then does the new
 * exporter start, with its templates and sampling report: a collector that scales by the reported sampling (nfcapd)
 * gets the old flows before it learns a changed sampling. The counters are totals
 * since start, across exporters.
 */
final class FlowExport implements AutoCloseable {
    /** Per lane: 1 MiB holds about 11,900 observations, 12 ms of 1 Mpps at 1-in-1 while the exporter sleeps 1 ms. */
    static final int RING_BYTES = 1 << 20;

    private final LoopAccess loop;
    private final Int2IntHashMap vniOfVlan = new Int2IntHashMap(-1);
    private final Consumer<String> log;
    private volatile FlowExporter exporter;
    private volatile AgentRunner runner;
    /** What exporters replaced by a reload counted. */
    private volatile IpfixStatus earlier;
    private boolean registered;
    /** When the exporter's thread last logged an error (only that thread writes it). */
    private long lastError = System.nanoTime() - 1_000_000_000L;

    /** @param tunnels the tunnels, whose VLAN-VNI pairs give flows through them a layer2SegmentId */
    FlowExport(LoopAccess loop, List<TunnelConfig> tunnels, Consumer<String> log) {
        this.loop = loop;
        this.log = log;
        for (TunnelConfig t : tunnels) {
            vniOfVlan.put(t.vlan(), t.vni());
        }
    }

    /** Makes export follow {@code next} (null: off); returns what was done, or null if nothing changed. */
    synchronized String apply(IpfixOptions next) {
        FlowExporter old = exporter;
        AgentRunner oldRunner = runner;
        if (Objects.equals(old == null ? null : old.options(), next)) {
            return null;
        }
        if (next == null) {
            loop.call(s -> {
                s.stopObservingFlows();
                return null;
            });
            exporter = null;
            runner = null;
        } else {
            UdpCollectors channel = new UdpCollectors(next.collectors());
            FlowObserver[] observers;
            try {
                observers = loop.call(s -> {
                    if (!registered) { // on the loop, as every reader of the registry
                        s.counters().poll(Arrays.asList(IpfixCounter.values()), CounterInstance.SWITCH,
                            () -> IpfixCounter.values(countsOrZero()));
                        registered = true;
                    }
                    return s.observeFlows(next.sampling(), RING_BYTES);
                });
            } catch (RuntimeException e) {
                channel.close();
                throw e;
            }
            FlowExporter x = new FlowExporter(next, observers, channel, vniOfVlan::get, System::nanoTime,
                System.currentTimeMillis(), new SecureRandom().nextLong());
            runner = new AgentRunner(new SleepingMillisIdleStrategy(1), this::error, null, x);
            exporter = x;
        }
        if (oldRunner != null) {
            // its onClose drains the rings the lanes have left and sends what it held, before the new exporter
            // sends anything: a collector gets the old flows while the old sampling report still holds
            oldRunner.close();
            earlier = old.status().plus(earlier);
        }
        if (runner != null) { // the new rings hold what the lanes observe meanwhile
            AgentRunner.startOnThread(runner, task -> new Thread(task, "vxswitch-ipfix"));
        }
        return next == null ? "ipfix: flow export off (the flows held were sent)" : "ipfix: " + next.brief();
    }

    /** An exception from the exporter's turn (a bug): logged at most once a second, and the exporter goes on. */
    private void error(Throwable t) {
        long now = System.nanoTime();
        if (now - lastError >= 1_000_000_000L) {
            lastError = now;
            log.accept("ipfix: the exporter failed a turn (" + t + "); it goes on, but report this as a bug");
        }
    }

    /** Totals since start, or null while export is off. */
    IpfixStatus status() {
        FlowExporter x = exporter;
        return x == null ? null : x.status().plus(earlier);
    }

    private IpfixStatus countsOrZero() {
        IpfixStatus s = status();
        if (s != null) {
            return s;
        }
        IpfixStatus e = earlier;
        return e != null ? e : new IpfixStatus(null, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Stops the exporter after it sent every flow it held. */
    @Override
    public synchronized void close() {
        AgentRunner r = runner;
        if (r != null) {
            r.close();
            runner = null;
        }
    }
}
