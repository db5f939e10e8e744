package io.vxswitch.lab.run;

import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.lab.ping.PingSession;
import io.vxswitch.lab.topology.PingSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a topology's pings one after another, each starting when the previous one printed its summary, as
 * an operator would type them. Returns when the last one finished.
 */
public final class PingRunner {
    private PingRunner() {
    }

    public static List<PingReport> run(Network network, List<PingSpec> pings) {
        Simulator sim = network.simulator();
        List<PingSession> sessions = new ArrayList<>();
        for (PingSpec p : pings) {
            sessions.add(new PingSession(network.host(p.from()), p.to(), p.count(), p.intervalNanos(),
                done -> startNext(sessions, done)));
        }
        if (!sessions.isEmpty()) {
            sessions.getFirst().start();
            sim.runUntil(() -> sessions.getLast().finished(), Simulator.DEFAULT_LIMIT_NANOS);
        }
        List<PingReport> reports = new ArrayList<>();
        for (PingSession s : sessions) {
            if (!s.finished()) {
                throw new IllegalStateException("ping on " + s.host().name() + " did not finish within "
                    + Simulator.DEFAULT_LIMIT_NANOS / 1_000_000_000L + " s of virtual time");
            }
            reports.add(new PingReport(s.host().name(), s.command(), s.output(), s.stats()));
        }
        return reports;
    }

    private static void startNext(List<PingSession> sessions, PingSession done) {
        int i = sessions.indexOf(done);
        if (i + 1 < sessions.size()) {
            sessions.get(i + 1).start();
        }
    }
}
