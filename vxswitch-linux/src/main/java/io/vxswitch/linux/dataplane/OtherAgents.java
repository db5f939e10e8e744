package io.vxswitch.linux.dataplane;

/**
 * The forwarding agents that run on other threads than the {@link Conductor}: what the conductor holds before it
 * changes the switch or their devices. The agent on the conductor's own thread needs no hold: it is between turns
 * whenever the conductor works.
 */
final class OtherAgents {
    private final ForwardingAgent[] agents;

    OtherAgents(ForwardingAgent[] agents) {
        this.agents = agents;
    }

    /** Parks every other agent at the top of its turn: from here until {@link #release} none of them forwards. */
    void hold() {
        for (ForwardingAgent a : agents) {
            a.hold().request();
            a.descriptors().wake();
        }
        for (ForwardingAgent a : agents) {
            a.hold().awaitHeld();
        }
    }

    void release() {
        for (ForwardingAgent a : agents) {
            a.hold().release();
        }
    }

    /** Runs {@code change} while the other agents are held. */
    void whileHeld(Runnable change) {
        hold();
        try {
            change.run();
        } finally {
            release();
        }
    }
}
