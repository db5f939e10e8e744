package io.vxswitch.lab.ping;

import io.vxswitch.lab.engine.Scheduled;
import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.lab.node.EchoListener;
import io.vxswitch.lab.node.Host;
import io.vxswitch.packet.Ipv4Address;

import java.util.BitSet;
import java.util.function.Consumer;

/**
 * {@code ping -c COUNT -i INTERVAL TARGET} run on a lab {@link Host} in virtual time, following iputils'
 * main loop (ping_common.c): one echo request per interval; each reply printed with its round-trip time
 * and {@code (DUP!)} for a sequence number already answered; ICMP errors printed as {@code From ...} lines.
 * It stops as soon as every request is answered or reported as an error, or, after the last request, once
 * the linger time is over (twice the longest round trip but at least one interval if anything came back,
 * otherwise 10 s). Replies arriving after that are not seen, exactly as with the real tool.
 */
public final class PingSession implements EchoListener {
    /** iputils MAXWAIT: how long ping waits for a first answer after its last request. */
    static final long LINGER_NANOS = 10_000_000_000L;

    private final Host host;
    private final Simulator simulator;
    private final int target;
    private final String targetText;
    private final int count;
    private final long intervalNanos;
    private final Consumer<PingSession> onFinish;
    private final StringBuilder output = new StringBuilder();
    private final RttAccumulator rtt = new RttAccumulator();
    private final BitSet answered = new BitSet();
    private long[] sentAt;
    private int id;
    private long transmitted;
    private long received;
    private long duplicates;
    private long errors;
    private int pipe;
    private long startTime;
    private long lastSendTime;
    private Scheduled nextSend;
    private Scheduled alarm;
    private boolean started;
    private boolean finished;
    private PingStats stats;

    /**
     * @param onFinish called once, when ping prints its summary
     */
    public PingSession(Host host, int target, int count, long intervalNanos, Consumer<PingSession> onFinish) {
        if (count < 1) {
            throw new IllegalArgumentException("ping count must be at least 1, got " + count);
        }
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("ping interval must be positive, got " + intervalNanos + " ns");
        }
        this.host = host;
        this.simulator = host.simulator();
        this.target = target;
        this.targetText = Ipv4Address.format(target);
        this.count = count;
        this.intervalNanos = intervalNanos;
        this.onFinish = onFinish;
    }

    /** The command line this session stands for, e.g. {@code ping -c 4 10.0.0.3}. */
    public String command() {
        return "ping -c " + count + (intervalNanos == 1_000_000_000L ? "" : " -i " + seconds(intervalNanos)) + " "
            + targetText;
    }

    public Host host() {
        return host;
    }

    public void start() {
        if (started) {
            throw new IllegalStateException("ping already started");
        }
        started = true;
        if (!host.onLink(target)) {
            output.append("ping: connect: Network is unreachable\n");
            finished = true;
            stats = new PingStats(0, 0, 0, 0, 0, null, 0);
            onFinish.accept(this);
            return;
        }
        sentAt = new long[count + 1];
        output.append(PingFormat.header(targetText)).append('\n');
        id = host.openEchoSocket(this);
        startTime = simulator.now();
        sendProbe();
    }

    public boolean finished() {
        return finished;
    }

    /** Everything ping printed so far. */
    public String output() {
        return output.toString();
    }

    /** The final numbers; null until the session finished. */
    public PingStats stats() {
        return stats;
    }

    private void sendProbe() {
        nextSend = null;
        transmitted++;
        int seq = (int) transmitted;
        sentAt[seq] = simulator.now();
        lastSendTime = simulator.now();
        host.sendEcho(target, id, seq);
        if (finished) {
            return; // an error reported synchronously ended the run
        }
        if (transmitted < count) {
            nextSend = simulator.after(intervalNanos, this::sendProbe);
        } else {
            scheduleExit();
        }
    }

    /** iputils {@code __schedule_exit}: computed once, right after the last request. */
    private void scheduleExit() {
        long waitNanos;
        if (received > 0) {
            waitNanos = Math.max(2 * rtt.maxMicros() * 1000, intervalNanos);
        } else {
            waitNanos = LINGER_NANOS;
        }
        alarm = simulator.after(waitNanos, this::finish);
    }

    @Override
    public void reply(int seq, int fromIp, int ttl, int icmpBytes) {
        if (finished || seq < 1 || seq > transmitted) {
            return;
        }
        long now = simulator.now();
        // Both timestamps are microsecond timevals in ping: the send time and the kernel's receive stamp.
        long micros = now / 1000 - sentAt[seq] / 1000;
        received++;
        acknowledge(seq);
        rtt.add(micros);
        boolean duplicate = answered.get(seq);
        if (duplicate) {
            duplicates++;
            received--;
        } else {
            answered.set(seq);
        }
        output.append(PingFormat.reply(icmpBytes, Ipv4Address.format(fromIp), seq, ttl, micros, duplicate))
            .append('\n');
        checkDone();
    }

    @Override
    public void error(int seq, int fromIp, String message) {
        if (finished) {
            return;
        }
        acknowledge(seq);
        errors++;
        output.append(PingFormat.error(Ipv4Address.format(fromIp), seq, message)).append('\n');
        checkDone();
    }

    /** iputils {@code acknowledge}: the pipe is how many requests were out when this answer came back. */
    private void acknowledge(int seq) {
        long outstanding = transmitted - seq;
        if (outstanding >= 0) {
            pipe = (int) Math.max(pipe, outstanding + 1);
        }
    }

    private void checkDone() {
        if (received + errors >= count) {
            finish();
        }
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (nextSend != null) {
            nextSend.cancel();
        }
        if (alarm != null) {
            alarm.cancel();
        }
        host.closeEchoSocket(id);
        stats = new PingStats(transmitted, received, duplicates, errors, lastSendTime - startTime,
            received > 0 ? rtt.summary() : null, pipe);
        output.append(PingFormat.summary(targetText, stats));
        onFinish.accept(this);
    }

    private static String seconds(long nanos) {
        return PingFormat.formatG(nanos / 1e9);
    }
}
