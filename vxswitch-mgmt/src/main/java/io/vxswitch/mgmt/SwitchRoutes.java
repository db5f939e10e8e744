package io.vxswitch.mgmt;

import io.vxswitch.ipfix.IpfixStatus;
import io.vxswitch.mgmt.view.IpfixView;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.vxswitch.config.ConfigException;
import io.vxswitch.config.PolicyParser;
import io.vxswitch.config.YamlDocument;
import io.vxswitch.forwarding.FdbRow;
import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.fdb.FdbEntryType;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.trace.Trace;
import io.vxswitch.mgmt.view.FdbFilter;
import io.vxswitch.mgmt.view.Views;
import io.vxswitch.packet.FrameDescriber;
import io.vxswitch.packet.pcap.PcapWriter;
import io.vxswitch.vxlan.VniMap;
import io.vxswitch.vxlan.VtepAddress;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code /api/v1} routes. Each reads or changes the switch inside {@link ManagedSwitch#call}, on the switch
 * loop, and turns what it got into JSON afterwards on the HTTP thread.
 */
final class SwitchRoutes {
    static final String BASE = "/api/v1";

    private final ManagedSwitch sw;
    private final ObjectMapper mapper;

    SwitchRoutes(ManagedSwitch sw, ObjectMapper mapper) {
        this.sw = sw;
        this.mapper = mapper;
    }

    void register(RoutesConfig r) {
        r.get(BASE + "/switch", ctx -> ctx.json(sw.call(s -> Views.switchView(s, sw.tunnels().size()))));
        r.get(BASE + "/ports", ctx -> ctx.json(withLacp(sw.call(Views::ports))));
        r.get(BASE + "/ports/{name}", this::port);
        r.post(BASE + "/ports", ctx -> ctx.status(201).json(Map.of("done", sw.addPort(ApiServer.body(ctx)))));
        r.delete(BASE + "/ports/{name}", ctx -> ctx.json(Map.of("done", sw.removePort(ctx.pathParam("name")))));
        r.get(BASE + "/mirrors", ctx -> ctx.json(sw.call(Views::mirrors)));
        r.get(BASE + "/mirrors/{name}", this::mirror);
        r.post(BASE + "/mirrors", ctx -> ctx.status(201).json(Map.of("done", sw.addMirror(ApiServer.body(ctx)))));
        r.delete(BASE + "/mirrors/{name}", ctx -> ctx.json(Map.of("done", sw.removeMirror(ctx.pathParam("name")))));
        r.post(BASE + "/config/reload", ctx -> ctx.json(Map.of("done", sw.reloadConfig())));
        r.get(BASE + "/port-groups", ctx -> ctx.json(sw.call(Views::portGroups)));
        r.put(BASE + "/port-groups/{name}", this::updatePortGroup);
        r.get(BASE + "/tunnels", ctx -> ctx.json(sw.call(s -> Views.tunnels(s, sw.tunnels()))));
        r.post(BASE + "/tunnels/{name}/flood-list", this::addFloodPeer);
        r.delete(BASE + "/tunnels/{name}/flood-list", this::removeFloodPeer);
        r.get(BASE + "/fdb", ctx -> {
            FdbFilter filter = filter(ctx);
            ctx.json(sw.call(s -> {
                requirePort(s, filter.port());
                return Views.fdb(s, System.nanoTime(), filter);
            }));
        });
        r.post(BASE + "/fdb/flush", this::flush);
        r.post(BASE + "/fdb/static", this::addStatic);
        r.delete(BASE + "/fdb/static", this::removeStatic);
        r.get(BASE + "/stats", ctx -> ctx.json(sw.call(s -> Views.stats(s))));
        r.get(BASE + "/ipfix", ctx -> {
            IpfixStatus status = sw.ipfix();
            ctx.json(sw.call(s -> IpfixView.of(status, s)));
        });
        r.post(BASE + "/trace", this::trace);
        r.get(BASE + "/capture", this::capture);
    }

    static final int MAX_SNAPLEN = 9022;
    /** How long a capture stream waits for the next frame before looking again. */
    private static final long IDLE_NANOS = 2_000_000;

    /**
     * Streams a port's frames as a pcap file until {@code count} frames or {@code seconds} have passed (0: until the
     * client goes away or the switch stops). The stream is flushed whenever no frame waits, so a pipe into
     * {@code tcpdump -r -} shows frames as they come.
     */
    private void capture(Context ctx) {
        String port = ctx.queryParam("port");
        if (port == null) {
            throw ApiException.badRequest("say which port to capture: ?port=NAME");
        }
        int count = intParam(ctx, "count", 0, Integer.MAX_VALUE, 0);
        int seconds = intParam(ctx, "seconds", 0, 86_400, 0);
        int snaplen = intParam(ctx, "snaplen", 1, MAX_SNAPLEN, MAX_SNAPLEN);
        long deadline = seconds == 0 ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
        try (CaptureSession session = sw.capture(port, snaplen)) {
            ctx.contentType("application/vnd.tcpdump.pcap");
            ctx.header("Content-Disposition", "attachment; filename=\"" + port + ".pcap\"");
            OutputStream out = ctx.outputStream();
            PcapWriter pcap = new PcapWriter(out);
            out.flush();
            byte[] buffer = new byte[snaplen];
            int written = 0;
            while ((count == 0 || written < count) && System.nanoTime() < deadline && !session.ended()) {
                CaptureSession.Frame f = session.next(buffer);
                if (f == null) {
                    out.flush();
                    LockSupport.parkNanos(IDLE_NANOS);
                    continue;
                }
                pcap.write(f.wallNanos(), buffer, f.captured(), f.length());
                written++;
            }
            out.flush();
        } catch (IOException e) {
            // the client went away (Ctrl-C on vxswitch capture): the capture ends with it
        }
    }

    static int intParam(Context ctx, String name, int min, int max, int otherwise) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return otherwise;
        }
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw ApiException.badRequest(name + " must be a number " + min + "-" + max + ", got '" + text + "'");
    }

    /** LAG ports with their LACP state, from the LACP agent (not the switch loop, which does not know it). */
    private List<Views.PortView> withLacp(List<Views.PortView> ports) {
        List<io.vxswitch.forwarding.lacp.LagStatus> lags = sw.lags();
        return lags.isEmpty() ? ports : ports.stream().map(p -> p.withLacp(lags)).toList();
    }

    private static FdbFilter filter(Context ctx) {
        return FdbFilter.parse(ctx.queryParam("vlan"), ctx.queryParam("port"), ctx.queryParam("mac"));
    }

    private void port(Context ctx) {
        String name = ctx.pathParam("name");
        ctx.json(sw.call(s -> {
            requirePort(s, name);
            return Views.ports(s).stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        }).withLacp(sw.lags()));
    }

    /** Replaces a port group's policy; the body is the port group as the config file writes it (JSON or YAML). */
    private void updatePortGroup(Context ctx) {
        String name = ctx.pathParam("name");
        PortGroupPolicy policy;
        try {
            policy = PolicyParser.portGroup(YamlDocument.parse("request body", ApiServer.body(ctx), "a port group"),
                "the request");
        } catch (ConfigException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (!policy.name().equals(name)) {
            throw ApiException.badRequest("the body describes port group '" + policy.name() + "', the path '" + name
                + "': renaming is not supported");
        }
        ctx.json(sw.call(s -> {
            if (s.portGroup(name) == null) {
                throw ApiException.notFound("no port group '" + name + "' (port groups: "
                    + String.join(", ", s.portGroups().stream().map(g -> g.name()).toList()) + ")");
            }
            s.updatePortGroup(policy);
            return Views.portGroups(s).stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
        }));
    }

    /** {@code {"vni": 119, "remote": "192.0.2.3"}}: a head-end replication peer of one VNI. */
    record FloodPeer(Integer vni, String remote) {
    }

    private void addFloodPeer(Context ctx) {
        FloodPeer p = body(ctx, FloodPeer.class);
        if (p.vni() == null || p.remote() == null) {
            throw ApiException.badRequest("a flood-list peer needs \"vni\" and \"remote\"");
        }
        TunnelInfo t = tunnel(ctx.pathParam("name"));
        VtepAddress remote = peerAddress(t, p.vni(), p.remote());
        ctx.status(201).json(sw.call(s -> {
            try {
                t.vtep().floodList().add(p.vni(), remote);
            } catch (IllegalStateException refused) { // every remote VTEP id in use, or the VNI floods to a group
                throw new ApiException(409, refused.getMessage());
            }
            return Views.tunnels(s, List.of(t)).getFirst();
        }));
    }

    private void removeFloodPeer(Context ctx) {
        String vni = ctx.queryParam("vni");
        String remoteText = ctx.queryParam("remote");
        if (vni == null || remoteText == null) {
            throw ApiException.badRequest("say which peer: ?vni=N&remote=ADDRESS");
        }
        TunnelInfo t = tunnel(ctx.pathParam("name"));
        int n = intParam(ctx, "vni", 1, 16_777_215, 0);
        VtepAddress remote = peerAddress(t, n, remoteText);
        boolean removed = sw.call(s -> t.vtep().floodList().remove(n, remote));
        if (!removed) {
            throw ApiException.notFound(remote + " is not in the flood list of VNI " + n + " on tunnel " + t.name());
        }
        ctx.json(sw.call(s -> Views.tunnels(s, List.of(t)).getFirst()));
    }

    private TunnelInfo tunnel(String name) {
        for (TunnelInfo t : sw.tunnels()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw ApiException.notFound("no tunnel '" + name + "' (tunnels: "
            + String.join(", ", sw.tunnels().stream().map(TunnelInfo::name).toList()) + ")");
    }

    /** A unicast address of the tunnel's family, for a VNI the tunnel carries. */
    private VtepAddress peerAddress(TunnelInfo t, int vni, String text) {
        boolean carried = sw.call(s -> t.vtep().vnis().vlanOf(vni) != VniMap.NONE);
        if (!carried) {
            throw ApiException.badRequest("tunnel " + t.name() + " does not carry VNI " + vni);
        }
        VtepAddress a;
        try {
            a = VtepAddress.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (a.isMulticast() || a.isUnspecified()) {
            throw ApiException.badRequest(text + " is not a unicast address: a flood-list peer is a remote VTEP");
        }
        if (a.isIpv4() != VtepAddress.parse(t.local()).isIpv4()) {
            throw ApiException.badRequest(text + " is not of the family of the tunnel's local address " + t.local());
        }
        return a;
    }

    /** Removes learned entries (static and vNIC ones stay), all or those matching vlan/port/mac. */
    private void flush(Context ctx) {
        FdbFilter filter = filter(ctx);
        int flushed = sw.call(s -> {
            requirePort(s, filter.port());
            List<FdbRow> doomed = new ArrayList<>();
            for (FdbRow row : s.fdbRows(System.nanoTime())) {
                if (row.type() == FdbEntryType.LEARNED && filter.matches(row)) {
                    doomed.add(row);
                }
            }
            for (FdbRow row : doomed) {
                s.fdb().remove(row.vlan(), row.mac());
            }
            return doomed.size();
        });
        ctx.json(Map.of("flushed", flushed));
    }

    /** {@code {"vlan": 119, "mac": "02:00:00:00:00:09", "port": "up0"}}. */
    record StaticEntry(Integer vlan, String mac, String port) {
    }

    private void addStatic(Context ctx) {
        StaticEntry e = body(ctx, StaticEntry.class);
        if (e.vlan() == null || e.mac() == null || e.port() == null) {
            throw ApiException.badRequest("a static entry needs \"vlan\", \"mac\" and \"port\"");
        }
        long mac = FdbFilter.parseMac(e.mac());
        int vlan = FdbFilter.parse(Integer.toString(e.vlan()), null, null).vlan();
        sw.call(s -> {
            requirePort(s, e.port());
            try {
                s.addStaticMac(vlan, mac, e.port());
            } catch (IllegalStateException full) {
                throw new ApiException(409, full.getMessage() + ": remove static entries (DELETE /fdb/static) or raise"
                    + " switch.fdbCapacity in the config");
            }
            return null;
        });
        ctx.status(201).json(e);
    }

    private void removeStatic(Context ctx) {
        FdbFilter f = filter(ctx);
        if (f.vlan() == null || f.mac() == null) {
            throw ApiException.badRequest("say which entry: ?vlan=N&mac=MAC");
        }
        boolean removed = sw.call(s -> {
            int id = s.fdb().entryId(f.vlan(), f.mac());
            return id >= 0 && s.fdb().entryIsStatic(id) && s.fdb().remove(f.vlan(), f.mac());
        });
        if (!removed) {
            throw ApiException.notFound("no static entry for " + ctx.queryParam("mac") + " in VLAN " + f.vlan());
        }
        ctx.json(Map.of("removed", 1));
    }

    /** The answer to a trace: the frame as parsed, each pipeline step, and where it would go. */
    record TraceAnswer(String port, String frame, List<Step> steps, List<String> egress, String drop) {
        record Step(String stage, String detail) {
        }
    }

    private void trace(Context ctx) {
        TraceRequest request = body(ctx, TraceRequest.class);
        try (Arena arena = Arena.ofShared()) { // built here, read on the switch loop
            MemorySegment frame = request.frame(arena);
            String described = FrameDescriber.describe(frame, 0, (int) frame.byteSize());
            ctx.json(sw.call(s -> {
                Port in = requirePort(s, request.port());
                if (in.isTunnel()) {
                    throw ApiException.badRequest("port " + in.name() + " is a tunnel: trace the frame from the"
                        + " port it enters the switch on before encapsulation");
                }
                Trace t = Trace.probe();
                ForwardingDecision d = s.newDecision();
                s.forward(in.id(), frame, 0, (int) frame.byteSize(), System.nanoTime(), d, t);
                List<TraceAnswer.Step> steps = t.steps().stream()
                    .map(st -> new TraceAnswer.Step(st.stage().label(), st.detail())).toList();
                List<String> egress = new ArrayList<>();
                for (int i = 0; i < d.egressCount(); i++) {
                    egress.add(s.port(d.egressPort(i)).name());
                }
                String drop = d.dropped() ? d.dropReason().counterName() : null;
                return new TraceAnswer(in.name(), described, steps, egress, drop);
            }));
        }
    }

    private <T> T body(Context ctx, Class<T> type) {
        try {
            return mapper.readValue(ApiServer.body(ctx), type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("request body: " + JsonErrors.describe(e));
        }
    }

    private void mirror(Context ctx) {
        String name = ctx.pathParam("name");
        ctx.json(sw.call(s -> {
            List<Views.MirrorView> all = Views.mirrors(s);
            return all.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(() -> ApiException.notFound(
                "no mirror session '" + name + "' (sessions: "
                    + String.join(", ", all.stream().map(Views.MirrorView::name).toList()) + ")"));
        }));
    }

    /** The port named {@code name}, or a 404 listing the ports; a null name passes (no filter). */
    static Port requirePort(Switch s, String name) {
        if (name == null) {
            return null;
        }
        Port p = s.port(name);
        if (p == null) {
            throw ApiException.notFound("no port '" + name + "' (ports: "
                + String.join(", ", Views.ports(s).stream().map(Views.PortView::name).toList()) + ")");
        }
        return p;
    }
}
