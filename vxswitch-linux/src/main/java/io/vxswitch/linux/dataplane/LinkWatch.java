package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.linux.LinkState;
import io.vxswitch.linux.LinuxException;

import java.util.function.Consumer;

/**
 * Follows what is under each switch port (a tap, an interface) into the port's state: a link going down or away
 * takes the port down in the switch (its learned MACs flushed, so traffic for them floods to wherever they are
 * now), and back up when the link returns; each change is said once. The devices watched are those of the agent on
 * the {@link Conductor}'s thread, so their state is read on the thread that owns it. Conductor only.
 */
final class LinkWatch {
    private final Switch sw;
    private final OtherAgents others;
    private final ForwardingAgent first;
    private final Consumer<String> log;
    /** Link state per switch port, as the watched device shows it; null where no device is watched. */
    private final LinkState[] states;

    /** @param first the agent on the conductor's thread, whose devices are watched */
    LinkWatch(Switch sw, OtherAgents others, ForwardingAgent first, Consumer<String> log) {
        this.sw = sw;
        this.others = others;
        this.first = first;
        this.log = log;
        this.states = new LinkState[sw.options().maxPorts()];
    }

    /**
     * Starts following {@code device}; where the switch may be changed (before the loops run, or in a conductor
     * command).
     */
    void watch(PortDevice device) {
        int id = device.switchPort();
        if (device.linkStartsDown()) {
            // Down in the switch too until it comes up. Assuming up instead, a guest that started its rings before the
            // first housekeeping tick was never said to be up ("link up" is what an operator and the tests wait for).
            states[id] = LinkState.DOWN;
            Port port = sw.port(id);
            if (port != null) {
                sw.setPortUp(port.name(), false);
            }
        } else {
            states[id] = LinkState.UP;
        }
    }

    void unwatch(int port) {
        states[port] = null;
    }

    /** Checks every watched device; on housekeeping ticks. */
    void checkAll() {
        for (int i = 0; i < first.devices().size(); i++) {
            check(first.devices().get(i));
        }
    }

    /** Follows a device's link state into the switch port's, and says so once per change. */
    void check(PortDevice device) {
        int id = device.switchPort();
        LinkState was = states[id];
        if (was == null || was == LinkState.GONE) {
            return;
        }
        LinkState now;
        try {
            now = device.linkState();
        } catch (LinuxException e) {
            log.accept("port " + portName(id) + ": cannot read the link state: " + e.getMessage());
            return;
        }
        if (now == was) {
            return;
        }
        states[id] = now;
        Port port = sw.port(id);
        int[] flushed = new int[1];
        others.whileHeld(() -> flushed[0] = port == null ? 0 : sw.setPortUp(port.name(), now == LinkState.UP));
        String macs = flushed[0] == 0 ? ""
            : "; " + flushed[0] + " learned MAC" + (flushed[0] == 1 ? "" : "s") + " flushed";
        switch (now) {
            case UP -> log.accept("port " + portName(id) + ": link up on " + device.describe());
            case DOWN -> log.accept("port " + portName(id) + ": link down on " + device.describe() + macs
                + "; the port forwards again when the link comes back up");
            case GONE -> {
                first.forget(device);
                log.accept("port " + portName(id) + ": " + device.describe() + " is gone (" + device.goneReason()
                    + "); port down" + macs + ". Restart vxswitch to attach the port again");
            }
        }
    }

    String portName(int id) {
        Port p = sw.port(id);
        return p == null ? "#" + id : p.name();
    }
}
