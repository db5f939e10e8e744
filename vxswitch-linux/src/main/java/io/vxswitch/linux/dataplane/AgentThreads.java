package io.vxswitch.linux.dataplane;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.IdleStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The threads of a dataplane: each runs one or more agents in a fixed order (Agrona's {@link CompositeAgent}) under
 * one idle strategy, with Agrona's {@link AgentRunner}. Which agents share a thread is a placement choice; the
 * agents are the same whatever the placement. Threads stop in the order they were placed, so a sender placed last
 * sends what the forwarding agents published before they stopped.
 */
final class AgentThreads {
    /** How long a stop waits for a thread before waking it again. */
    private static final int STOP_RETRY_MILLIS = 10;

    private final Consumer<String> log;
    private final List<AgentRunner> runners = new ArrayList<>();
    private final List<Runnable> wakers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    AgentThreads(Consumer<String> log) {
        this.log = log;
    }

    /**
     * Places {@code agents} on one thread named {@code name}, in that order each turn.
     *
     * @param wake ends the thread's idle wait (so that it sees a stop)
     */
    void place(String name, IdleStrategy idle, Runnable wake, Agent... agents) {
        Agent agent = agents.length == 1 && agents[0].roleName().equals(name) ? agents[0]
            : new CompositeAgent(agents) {
                @Override
                public String roleName() {
                    return name;
                }
            };
        runners.add(new AgentRunner(idle, new AgentErrors(name, log), null, agent));
        wakers.add(wake);
    }

    void start() {
        for (AgentRunner r : runners) {
            threads.add(AgentRunner.startOnThread(r, task -> Thread.ofPlatform().unstarted(task)));
        }
    }

    /** Stops each thread after its current turn, in the order placed; each agent's {@code onClose} runs last. */
    void stop() {
        for (int i = 0; i < runners.size(); i++) {
            Runnable wake = wakers.get(i);
            runners.get(i).close(STOP_RETRY_MILLIS, thread -> wake.run());
        }
    }

    /** Waits until every thread has ended (after {@link #stop} from another thread). */
    void awaitStop() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }
}
