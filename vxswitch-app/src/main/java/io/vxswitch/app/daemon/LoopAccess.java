package io.vxswitch.app.daemon;

import io.vxswitch.ipfix.IpfixStatus;
import io.vxswitch.evpn.EvpnSpeaker;
import io.vxswitch.evpn.NeighborView;
import io.vxswitch.evpn.RouteView;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.lacp.LagStatus;
import io.vxswitch.linux.dataplane.Dataplane;
import io.vxswitch.linux.lacp.LacpAgent;
import io.vxswitch.linux.dataplane.PortCapture;
import io.vxswitch.mgmt.ApiException;
import io.vxswitch.mgmt.CaptureSession;
import io.vxswitch.mgmt.ManagedSwitch;
import io.vxswitch.mgmt.TunnelInfo;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The management plane's way into a running {@link HostSwitch}: each call becomes a command the switch loop runs
 * between two turns ({@link Dataplane#submit}), and the caller waits for its answer.
 */
final class LoopAccess implements ManagedSwitch {
    static final long TIMEOUT_SECONDS = 3;

    private final Switch sw;
    private final Dataplane dataplane;
    private final List<TunnelInfo> tunnels;
    private Reconfigurer reconfigurer;
    private volatile FlowExport flowExport;
    private volatile EvpnSpeaker evpn;
    private volatile Runnable portsChanged = () -> { };
    private volatile LacpAgent lacp;

    LoopAccess(Switch sw, Dataplane dataplane, List<TunnelInfo> tunnels) {
        this.sw = sw;
        this.dataplane = dataplane;
        this.tunnels = List.copyOf(tunnels);
    }

    void flowExport(FlowExport f) {
        this.flowExport = f;
    }

    FlowExport flowExport() {
        return flowExport;
    }

    @Override
    public IpfixStatus ipfix() {
        FlowExport f = flowExport;
        return f == null ? null : f.status();
    }

    void lacp(LacpAgent agent) {
        this.lacp = agent;
    }

    /** The LACP agent of the switch's LAGs, or null while it has none. */
    LacpAgent lacp() {
        return lacp;
    }

    /** The switch itself, for what registers counters off the loop (its registry takes them from any thread). */
    Switch switchForCounters() {
        return sw;
    }

    @Override
    public List<LagStatus> lags() {
        LacpAgent a = lacp;
        return a == null ? List.of() : a.status();
    }

    void reconfigurer(Reconfigurer r) {
        this.reconfigurer = r;
    }

    void evpn(EvpnSpeaker speaker, Runnable portsChanged) {
        this.evpn = speaker;
        this.portsChanged = portsChanged;
    }

    /** Ports (and so vNIC MACs) were added, removed or reconfigured: EVPN looks at the local MACs again now. */
    void portsChanged() {
        portsChanged.run();
    }

    @Override
    public boolean evpnEnabled() {
        return evpn != null;
    }

    @Override
    public List<NeighborView> bgpNeighbors() {
        EvpnSpeaker e = evpn;
        return e == null ? List.of() : e.neighbors();
    }

    @Override
    public List<RouteView> evpnRoutes() {
        EvpnSpeaker e = evpn;
        return e == null ? List.of() : e.routes();
    }

    @Override
    public String addPort(String description) {
        return reconfigurer.addPort(description);
    }

    @Override
    public String removePort(String name) {
        return reconfigurer.removePort(name);
    }

    @Override
    public String addMirror(String description) {
        return reconfigurer.addMirror(description);
    }

    @Override
    public String removeMirror(String name) {
        return reconfigurer.removeMirror(name);
    }

    @Override
    public List<String> reloadConfig() {
        return reconfigurer.reload();
    }

    @Override
    public String name() {
        return sw.name();
    }

    @Override
    public <T> T call(Function<Switch, T> function) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        dataplane.submit(s -> {
            try {
                answer.complete(function.apply(s));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        try {
            return answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new ApiException(503, "the switch loop did not answer within " + TIMEOUT_SECONDS
                + " s (stopping, or stuck: see the switch's log)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while waiting for the switch loop");
        }
    }

    @Override
    public List<TunnelInfo> tunnels() {
        return tunnels;
    }

    @Override
    public CaptureSession capture(String portName, int snaplen) {
        // The rings (megabytes) are made here, not in the command: nothing forwards while a command runs.
        int port = call(s -> {
            Port p = s.port(portName);
            if (p == null) {
                throw ApiException.notFound("no port '" + portName + "'");
            }
            return p.id();
        });
        PortCapture capture = new PortCapture(port, snaplen, dataplane.loops()); // a ring per loop
        try {
            call(s -> {
                Port p = s.port(portName);
                if (p == null || p.id() != port) {
                    throw ApiException.notFound("no port '" + portName + "' (removed meanwhile)");
                }
                try {
                    dataplane.attachCapture(capture);
                } catch (IllegalStateException e) {
                    throw new ApiException(409, "port " + portName + " is already being captured (one capture per"
                        + " port)");
                }
                return null;
            });
        } catch (RuntimeException e) {
            capture.close();
            throw e;
        }
        return new CaptureSession() {
            @Override
            public Frame next(byte[] buffer) {
                PortCapture.Frame f = capture.next(buffer);
                return f == null ? null : new Frame(f.wallNanos(), f.captured(), f.length());
            }

            @Override
            public long dropped() {
                return capture.dropped();
            }

            @Override
            public boolean ended() {
                return capture.stopped();
            }

            @Override
            public void close() {
                if (!capture.stopped()) {
                    try {
                        call(s -> {
                            dataplane.detachCapture(capture);
                            return null;
                        });
                    } catch (ApiException e) {
                        // the loop is stopping: it detaches every capture on its way out
                    }
                }
                if (capture.stopped()) {
                    capture.close(); // the loop no longer writes into it
                }
            }
        };
    }
}
