package io.vxswitch.ipfix;

import io.vxswitch.forwarding.flow.FlowObservation;
import io.vxswitch.forwarding.flow.FlowObserver;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.MessageHandler;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;

/**
 * The IPFIX exporting process, an agent on a thread of its own (never a forwarding thread). Each turn, in this
 * order: drain every lane's ring into the {@link FlowCache}; once per {@link #SWEEP_NANOS} expire the flows that
 * are due, write them into messages and send them; send the templates when they are due (first message, then
 * every {@code templateRefresh}, RFC 7011 §8.4), with the options templates and records that tell the collector the
 * sampling ({@link IpfixOptionsTemplate}). On close, every flow left is exported (flowEndReason forced end),
 * so a reload or shutdown loses nothing the cache held.
 *
 * <p>Times: the lanes stamp frames with their monotonic clock; a record's flowStart/EndMilliseconds are that clock
 * moved onto the wall clock once, when the exporter starts, so a wall clock step does not bend a flow.
 *
 * <p>Interfaces: a switch port's ingressInterface/egressInterface is its port id + 1 (0 is "none" in IPFIX, as in
 * SNMP's ifIndex); a frame sent to several ports (flooded) has egressInterface 0. {@code vxswitch ipfix} lists them.
 */
public final class FlowExporter implements Agent {
    /** Expiry runs ten times a second: timeouts are whole seconds, so they are kept within 0.1 s. */
    static final long SWEEP_NANOS = 100_000_000L;
    /** RFC 7011 §10.3.3: a message must fit a datagram the path carries unfragmented; 1500-byte MTU, IPv6, UDP. */
    static final int MAX_MESSAGE = 1500 - 40 - 8;

    private final IpfixOptions options;
    private final FlowObserver[] observers;
    private final FlowCache cache;
    private final IpfixMessageWriter writer = new IpfixMessageWriter(MAX_MESSAGE);
    private final MessageChannel channel;
    private final IntUnaryOperator vniOfVlan;
    private final LongSupplier clock;
    private final long wallBase;
    private final long clockBase;
    private final FlowRecord record = new FlowRecord();
    private final MessageHandler toCache;
    private final FlowCache.Sink toMessage = this::write;
    private long nextSweep;
    private long templatesDue;
    private boolean messageOpen;
    private long sequence;
    // published for the API and metrics (one writer: this agent)
    private volatile long records;
    private volatile long messages;
    private volatile long sendErrors;
    private volatile long templateSends;
    private volatile int cached;
    private volatile long created;
    private volatile long evicted;

    /**
     * @param observers the lanes' observers, whose rings this exporter alone reads
     * @param vniOfVlan the VXLAN VNI a VLAN is carried in, or a negative number for none
     * @param clock     the lanes' clock (System::nanoTime in the daemon)
     * @param wallMillis the wall clock now, in milliseconds since the epoch
     */
    public FlowExporter(IpfixOptions options, FlowObserver[] observers, MessageChannel channel,
                        IntUnaryOperator vniOfVlan, LongSupplier clock, long wallMillis, long secret) {
        this.options = options;
        this.observers = observers.clone();
        this.cache = new FlowCache(options.cacheEntries(), secret);
        this.channel = channel;
        this.vniOfVlan = vniOfVlan;
        this.clock = clock;
        this.clockBase = clock.getAsLong();
        this.wallBase = wallMillis;
        this.nextSweep = clockBase + SWEEP_NANOS;
        this.templatesDue = clockBase; // the first message carries them
        this.toCache = (type, buffer, index, length) -> add(buffer, index);
    }

    @Override
    public String roleName() {
        return "ipfix-exporter";
    }

    @Override
    public int doWork() {
        int work = 0;
        for (FlowObserver o : observers) {
            work += o.drain(toCache);
        }
        long now = clock.getAsLong();
        if (now - nextSweep >= 0) {
            nextSweep = now + SWEEP_NANOS;
            work += cache.expire(now, options.idleTimeout(), options.activeTimeout(), toMessage);
            if (!messageOpen && now - templatesDue >= 0) {
                open(now); // templates alone: a collector that starts later learns them within templateRefresh
            }
            sendMessage();
        }
        publish();
        return work;
    }

    @Override
    public void onClose() {
        for (FlowObserver o : observers) {
            o.drain(toCache);
        }
        cache.flush(FlowEndReason.FORCED_END, toMessage);
        sendMessage();
        publish();
        channel.close();
    }

    private void add(DirectBuffer b, int at) {
        cache.add(b, at, toMessage);
    }

    /** The cache's sink: one flow into the open message; a full message is sent and the next one begun. */
    private void write(FlowCache c, int e, FlowEndReason reason) {
        c.read(e, record);
        record.startMillis = wallMillis(record.startMillis);
        record.endMillis = wallMillis(record.endMillis);
        record.endReason = reason;
        record.ingressInterface = c.ingressPort(e) + 1;
        int egress = c.egressPort(e);
        record.egressInterface = egress == FlowObservation.NO_SINGLE_EGRESS ? 0 : egress + 1;
        int vni = c.tunnel(e) ? vniOfVlan.applyAsInt(record.vlan) : -1;
        record.vni = vni < 0 ? FlowRecord.NO_VNI : vni;
        long now = clock.getAsLong();
        if (!messageOpen) {
            open(now);
        }
        if (!writer.add(record)) {
            sendMessage();
            open(now);
            writer.add(record); // an empty message holds any one record
        }
    }

    private void open(long now) {
        writer.begin(wallMillis(now) / 1000, sequence, options.observationDomain());
        messageOpen = true;
        if (now - templatesDue >= 0) {
            writer.addTemplates(options.sampling()); // and the sampling report, so collectors scale the counts
            templatesDue = now + options.templateRefresh();
            templateSends++;
        }
    }

    private void sendMessage() {
        if (!messageOpen) {
            return;
        }
        messageOpen = false;
        if (writer.empty()) {
            return;
        }
        ByteBuffer m = writer.finish();
        sequence += writer.records(); // RFC 7011 §3.1: counts data records (the sampling report's too), not templates
        records += writer.flowRecords();
        messages++;
        sendErrors += channel.send(m);
    }

    private long wallMillis(long clockNanos) {
        return wallBase + Math.floorDiv(clockNanos - clockBase, 1_000_000L);
    }

    private void publish() {
        cached = cache.size();
        created = cache.created();
        evicted = cache.evicted();
    }

    public IpfixOptions options() {
        return options;
    }

    /** What the exporter has done so far; from any thread. */
    public IpfixStatus status() {
        long observed = 0;
        long ringFull = 0;
        for (FlowObserver o : observers) {
            observed += o.observed();
            ringFull += o.ringFull();
        }
        return new IpfixStatus(options, observed, ringFull, created, cached, evicted, records, messages, templateSends,
            sendErrors);
    }

    /** The observers this exporter drains. */
    public List<FlowObserver> observers() {
        return List.of(observers);
    }
}
