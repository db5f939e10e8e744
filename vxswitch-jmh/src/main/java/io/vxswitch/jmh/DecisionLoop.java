package io.vxswitch.jmh;

/**
 * {@link ForwardingBenchmark#decide} outside JMH, for counting instructions under valgrind's callgrind
 * ({@code bench/jmh-instructions}). A count of executed instructions does not depend on what else runs on the
 * machine, where JMH's wall clock on a shared 2-core host moves by ±30 % between iterations.
 *
 * <p>{@code java -cp benchmarks.jar io.vxswitch.jmh.DecisionLoop SCENARIO MEMORY WARMUP MEASURED} builds the host of
 * {@link ForwardingBenchmark.Host}, runs {@code WARMUP} decisions, then {@code MEASURED} more. Two runs that differ only
 * in {@code MEASURED}, subtracted, give the instructions of one decision, with start-up, warm-up and compilation
 * cancelled out. The decisions run in whole calls of {@link #loop}, so the loop gets a normal compilation and not
 * only an on-stack replacement, as in JMH, where the benchmark method is called once per iteration.
 *
 * <p>With {@code -Dvxswitch.ipfix.sampling=N} the switch observes flows for IPFIX (one frame in N into the lane's
 * ring), and the ring is drained after each call of {@link #loop} on the same thread with a handler that does
 * nothing: the count then includes the ring's read side, which in the daemon runs on the exporter's thread.
 */
public final class DecisionLoop {
    private static final int CALL = 10_000;
    private static volatile int sink;
    private static io.vxswitch.forwarding.flow.FlowObserver observer;
    private static final org.agrona.concurrent.MessageHandler DISCARD = (type, buffer, index, length) -> { };

    private DecisionLoop() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: DecisionLoop SCENARIO MEMORY WARMUP MEASURED (e.g. KNOWN_UNICAST HEAP 1000000 2000000)");
            System.exit(2);
        }
        ForwardingBenchmark.Host h = new ForwardingBenchmark.Host();
        h.scenario = ForwardingBenchmark.Scenario.valueOf(args[0]);
        h.memory = ForwardingBenchmark.Memory.valueOf(args[1]);
        h.build(); // refuses a scenario that does not decide as named
        String sampling = System.getProperty("vxswitch.ipfix.sampling");
        if (sampling != null) {
            observer = h.sw.observeFlows(Integer.parseInt(sampling), 1 << 20)[0];
        }
        ForwardingBenchmark b = new ForwardingBenchmark();
        run(b, h, Long.parseLong(args[2]));
        long measured = Long.parseLong(args[3]);
        long t0 = System.nanoTime();
        run(b, h, measured);
        long t1 = System.nanoTime();
        h.close();
        if (observer != null && observer.ringFull() > 0) {
            System.err.println("the flow ring was full " + observer.ringFull() + " times: the count is of a full ring");
        }
        System.out.printf("%s %s: %d decisions, %.1f ns each (wall clock: not the figure to read)%n", args[0], args[1],
            measured, measured == 0 ? 0.0 : (t1 - t0) / (double) measured);
    }

    private static void run(ForwardingBenchmark b, ForwardingBenchmark.Host h, long decisions) {
        int acc = 0;
        for (long done = 0; done < decisions; done += CALL) {
            acc += loop(b, h, CALL);
            if (observer != null) {
                observer.drain(DISCARD);
            }
        }
        sink = acc;
    }

    private static int loop(ForwardingBenchmark b, ForwardingBenchmark.Host h, int n) {
        int acc = 0;
        for (int i = 0; i < n; i++) {
            acc += b.decide(h);
        }
        return acc;
    }
}
