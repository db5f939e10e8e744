package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.Mirror;
import io.vxswitch.forwarding.Switch;
import org.agrona.concurrent.Agent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The one agent that changes the switch and the dataplane's devices (Aeron's conductor). Everything from other
 * threads enters here: commands from the management API, a config reload and (soon) the EVPN speaker are queued with
 * {@link #submit} and run between two turns, while the forwarding agents on other threads are held; so the data path
 * takes no lock and never sees a half-made change. Once a second it does the housekeeping: FDB aging, freeing
 * removed devices, the MAC-move log, link states and the devices' notices.
 *
 * <p>It runs on the thread of forwarding agent 0 (placed first in that thread's composite), whose devices it reads
 * the link state of; so it needs to hold only the other agents, and that agent's sleep in {@code epoll_wait} is what
 * {@link #submit} ends.
 */
final class Conductor implements Agent {
    static final long HOUSEKEEPING_PERIOD_NANOS = 1_000_000_000L;
    /**
     * Commands run for at most about this long per turn (at least one command per turn), then the forwarding agent
     * on this thread gets its turn: a burst of commands (100,000 EVPN routes arrive as a few hundred) would
     * otherwise stop forwarding on this thread, and the other agents held, for as long as it takes.
     */
    static final long COMMAND_BUDGET_NANOS = 500_000L;

    private final Switch sw;
    private final ForwardingAgent[] agents;
    private final OtherAgents others;
    private final DeviceRegistry registry;
    private final LinkWatch links;
    private final Captures captures;
    private final Consumer<String> log;
    private final ConcurrentLinkedQueue<Consumer<Switch>> commands = new ConcurrentLinkedQueue<>();
    /** Devices whose link a command of theirs may have changed; the conductor's thread only. */
    private final List<PortDevice> linksToCheck = new ArrayList<>();
    private long nextHousekeeping;

    Conductor(Switch sw, ForwardingAgent[] agents, OtherAgents others, DeviceRegistry registry, LinkWatch links,
              Captures captures, Consumer<String> log) {
        this.sw = sw;
        this.agents = agents;
        this.others = others;
        this.registry = registry;
        this.links = links;
        this.captures = captures;
        this.log = log;
    }

    @Override
    public String roleName() {
        return "conductor";
    }

    /** Runs {@code command} between two turns, from any thread: the way other threads change the switch. */
    void submit(Consumer<Switch> command) {
        commands.add(command);
        agents[0].descriptors().wake();
    }

    /**
     * Runs a device's own command (a vhost-user front-end starting or enabling its rings) between two turns, then
     * follows the device's link at once, not at the next housekeeping tick: a guest's first frames (its ARP) must not
     * meet a port that is still down. The look comes after the batch, once the other agents run again, because saying
     * a change holds them itself.
     */
    void submitForDevice(PortDevice device, Runnable command) {
        submit(s -> {
            command.run();
            if (!linksToCheck.contains(device)) {
                linksToCheck.add(device);
            }
        });
    }

    @Override
    public void onStart() {
        nextHousekeeping = System.nanoTime() + HOUSEKEEPING_PERIOD_NANOS;
    }

    @Override
    public int doWork() {
        int work = runCommands(COMMAND_BUDGET_NANOS);
        for (int i = 0; i < linksToCheck.size(); i++) {
            links.check(linksToCheck.get(i));
        }
        linksToCheck.clear();
        work += followGoneDevices();
        long now = System.nanoTime();
        if (now - nextHousekeeping >= 0) {
            housekeeping(now);
            nextHousekeeping = now + HOUSEKEEPING_PERIOD_NANOS;
        }
        return work;
    }

    /** Runs queued commands, in order, until none is left or {@code budgetNanos} have passed; returns how many. */
    private int runCommands(long budgetNanos) {
        if (commands.isEmpty()) {
            return 0;
        }
        int n = 0;
        long deadline = System.nanoTime() + budgetNanos;
        others.hold();
        try {
            Consumer<Switch> c;
            while ((c = commands.poll()) != null) {
                c.accept(sw);
                n++;
                if (System.nanoTime() - deadline >= 0) {
                    break; // the rest next turn, after this thread's agent has forwarded: doWork reports work done
                }
            }
        } finally {
            others.release();
        }
        return n;
    }

    /**
     * Devices an agent found dead (a deleted tap): the watched one's link is looked at now; the others' agents have
     * stopped waiting on them already, and the watched device of the same port says the change.
     */
    private int followGoneDevices() {
        int n = 0;
        for (int i = 0; i < agents.length; i++) {
            PortDevice d;
            while ((d = agents[i].pollGone()) != null) {
                if (i == 0) {
                    links.check(d);
                }
                n++;
            }
        }
        return n;
    }

    private void housekeeping(long now) {
        sw.expire(now); // the FDB takes its own lock: the agents keep forwarding
        registry.closeRetired();
        for (String line : sw.macMoveLog().poll(now)) {
            log.accept(line);
        }
        links.checkAll();
        List<PortDevice> devices = registry.devices();
        for (PortDevice device : devices) {
            String notice = device.takeNotice();
            if (notice != null) {
                log.accept("port " + links.portName(device.switchPort()) + ": " + notice);
            }
        }
        for (int slot : registry.erspanSlots()) {
            Mirror m = sw.remoteMirror(slot);
            for (ErspanSender s : registry.erspan(slot)) {
                String notice = s.takeNotice();
                if (notice != null && m != null) {
                    log.accept("mirror " + m.name() + ": " + notice);
                    m.noteDestination(java.time.LocalTime.now().withNano(0) + " " + notice);
                }
            }
        }
    }

    /** Runs what was submitted before the stop, and ends the captures. */
    @Override
    public void onClose() {
        runCommands(Long.MAX_VALUE);
        captures.detachAll();
    }
}
