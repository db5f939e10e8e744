package io.vxswitch.lab.node;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.trace.Trace;
import io.vxswitch.lab.engine.Endpoint;
import io.vxswitch.lab.engine.Simulator;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * An ESXi host as the lab sees it: the real forwarding-plane {@link Switch} with each of its ports plugged
 * into a link. Every frame arriving on a port goes through {@link Switch#forward} at the current virtual
 * time, and each copy the decision names is written, with its egress tag, into a fresh frame for the
 * egress port's link.
 */
public final class VdsHost {
    /** How often the host ages its MAC table: once a second, like a switch's aging sweep. */
    public static final long AGING_PERIOD_NANOS = 1_000_000_000L;

    private final Simulator simulator;
    private final Switch sw;
    private final ForwardingDecision decision;
    private final Endpoint[] endpoints;
    private final SwitchTaps taps = new SwitchTaps();

    public VdsHost(Simulator simulator, Switch sw) {
        this.simulator = simulator;
        this.sw = sw;
        this.decision = sw.newDecision();
        this.endpoints = new Endpoint[sw.options().maxPorts()];
    }

    public Switch sw() {
        return sw;
    }

    public String name() {
        return sw.name();
    }

    /** Plugs switch port {@code portName} into one end of a link. */
    public void plugInto(String portName, Endpoint endpoint) {
        Port p = sw.port(portName);
        if (p == null) {
            throw new IllegalArgumentException("switch '" + sw.name() + "' has no port '" + portName + "'");
        }
        int id = p.id();
        if (endpoints[id] != null) {
            throw new IllegalStateException("port " + sw.name() + ":" + portName + " is already plugged into "
                + endpoints[id].name());
        }
        endpoint.attach(frame -> receive(id, frame));
        endpoints[id] = endpoint;
    }

    /** Keeps the trace of the first frame the capture matches. */
    public void capture(TraceCapture traceCapture) {
        taps.add(traceCapture);
    }

    /** Reports the frames {@code listener} follows as {@link SwitchHop}s. */
    public void listen(HopListener listener) {
        taps.listen(listener);
    }

    /** Starts the periodic MAC aging sweep (housekeeping: it does not keep the simulation running). */
    public void startAging() {
        simulator.everyAsDaemon(AGING_PERIOD_NANOS, () -> sw.expire(simulator.now()));
    }

    void receive(int inPort, byte[] frame) {
        long now = simulator.now();
        MemorySegment s = MemorySegment.ofArray(frame);
        Trace trace = taps.start(s, 0, frame.length);
        sw.forward(inPort, s, 0, frame.length, now, decision, trace);
        for (int i = 0; i < decision.egressCount(); i++) {
            Endpoint out = endpoints[decision.egressPort(i)];
            if (out == null) {
                continue; // an unplugged port: the copy goes nowhere, as with a disconnected vNIC
            }
            byte[] copy = new byte[decision.egressLength(i)];
            decision.writeEgress(i, MemorySegment.ofArray(copy), 0);
            out.send(copy);
        }
        taps.decided(sw.name(), sw, inPort, frame, now, decision, trace, null, List.of());
    }
}
