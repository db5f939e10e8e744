package io.vxswitch.linux.dataplane;

/**
 * Holds one {@link ForwardingAgent} at the top of its turn while the {@link Conductor} changes the switch from
 * another thread (a command, a port going down), so an agent never forwards through a half-made change. The data
 * path pays one volatile read per turn; a held agent spins and yields, since holds are short and rare.
 */
final class AgentHold {
    private volatile boolean requested;
    private volatile boolean held;
    /** Whether the agent's thread is in its duty cycle: holding an agent that is not running needs no wait. */
    private volatile boolean running;

    /** Conductor: asks for the hold; the agent parks at the top of its next turn (wake it if it sleeps). */
    void request() {
        requested = true;
    }

    /** Conductor, after {@link #request}: waits until the agent is parked, or not running. */
    void awaitHeld() {
        while (!held && running) {
            Thread.onSpinWait();
        }
    }

    /** Conductor: lets the agent go on. */
    void release() {
        requested = false;
    }

    /** Agent, at the top of each turn: parks here while a hold is asked for. */
    void parkIfAsked() {
        if (!requested) {
            return;
        }
        held = true;
        while (requested) {
            Thread.onSpinWait();
            Thread.yield();
        }
        held = false;
    }

    /** Agent: its duty cycle starts or ends (an agent that ends while held would otherwise be waited for). */
    void running(boolean running) {
        this.running = running;
    }
}
