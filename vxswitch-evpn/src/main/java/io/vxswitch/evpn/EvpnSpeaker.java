package io.vxswitch.evpn;

import io.vxswitch.bgp.message.AddressFamily;
import io.vxswitch.bgp.message.Open;
import io.vxswitch.bgp.message.RouteRefresh;
import io.vxswitch.bgp.message.Update;
import io.vxswitch.bgp.session.BgpSession;
import io.vxswitch.bgp.session.BgpSpeaker;
import io.vxswitch.bgp.session.SessionEvents;
import io.vxswitch.bgp.session.SessionState;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The EVPN control plane of a running host: an {@link EvpnControlPlane} driven from the BGP speaker's thread, with
 * the sessions to the reflectors. Everything the control plane does happens on that one thread, so it takes no
 * lock; methods called from other threads (the switch's local MACs, the API's views) queue their work there.
 */
public final class EvpnSpeaker implements LocalMacs, AutoCloseable {
    private final EvpnConfig config;
    private final Consumer<String> log;
    private final BgpSpeaker speaker;
    private final EvpnControlPlane control;
    private final List<BgpSession> sessions = new ArrayList<>();

    public EvpnSpeaker(EvpnConfig config, EvpnDataplane dataplane, Consumer<String> log) {
        this.config = config;
        this.log = log;
        this.speaker = new BgpSpeaker(log);
        this.control = new EvpnControlPlane(config.asn(), config.routerId(), config.neighbors().size(), config.vnis(),
                dataplane, new Sessions());
    }

    /** Opens the sessions and originates each VNI's type-3 route. */
    public void start() {
        speaker.start();
        speaker.execute(control::start);
        for (int i = 0; i < config.neighbors().size(); i++) {
            speaker.addNeighbor(config.neighbors().get(i), new NeighborEvents(i));
        }
        speaker.execute(() -> sessions.addAll(speaker.sessions()));
    }

    // ---- local MACs, from the switch (any thread)

    @Override
    public void localMacLearned(int vni, long mac, boolean sticky) {
        speaker.execute(() -> control.localMacLearned(vni, mac, sticky));
    }

    @Override
    public void localMacRemoved(int vni, long mac) {
        speaker.execute(() -> control.localMacRemoved(vni, mac));
    }

    @Override
    public void syncLocalMacs(int vni, Map<Long, Boolean> macs) {
        Map<Long, Boolean> copy = new HashMap<>(macs);
        speaker.execute(() -> control.syncLocalMacs(vni, copy));
    }

    @Override
    public void localMacAddress(int vni, long mac, InetAddress ip) {
        speaker.execute(() -> control.localMacAddress(vni, mac, ip));
    }

    /** Runs {@code task} on the speaker's thread every 100 ms: how the switch's changes are polled. */
    public void everyTick(Runnable task) {
        speaker.everyTick(task);
    }

    // ---- views (any thread; computed on the speaker's)

    public List<NeighborView> neighbors() {
        return onSpeaker(() -> {
            List<NeighborView> out = new ArrayList<>();
            long now = System.nanoTime();
            for (int i = 0; i < sessions.size(); i++) {
                BgpSession s = sessions.get(i);
                var st = s.statistics();
                boolean up = s.state() == SessionState.ESTABLISHED;
                out.add(new NeighborView(s.config().peerAddress().getHostAddress(), s.config().peerAsn(),
                        s.state().toString(), up ? (now - st.establishedAt()) / 1_000_000_000L : 0, control.received(i),
                        up ? control.originatedCount() : 0, st.messagesIn(), st.messagesOut(), st.updatesIn(),
                        st.updatesOut(), st.establishedTransitions(), st.lastError(), st.lastDown()));
            }
            return out;
        });
    }

    public List<RouteView> routes() {
        return onSpeaker(() -> control.routes(i -> config.neighbors().get(i).peerAddress().getHostAddress()));
    }

    private <T> T onSpeaker(Supplier<T> view) {
        CompletableFuture<T> f = new CompletableFuture<>();
        speaker.execute(() -> f.complete(view.get()));
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the BGP speaker", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the BGP speaker did not answer within 5 s", e);
        }
    }

    /** Sends each Established neighbor a Cease and stops the speaker's thread. */
    @Override
    public void close() {
        speaker.close();
    }

    /** The sessions as the control plane sees them; called on the speaker's thread. */
    private final class Sessions implements EvpnControlPlane.Neighbors {
        @Override
        public boolean established(int neighbor) {
            return neighbor < sessions.size() && sessions.get(neighbor).state() == SessionState.ESTABLISHED;
        }

        @Override
        public boolean internal(int neighbor) {
            return config.neighbors().get(neighbor).internal();
        }

        @Override
        public void send(int neighbor, Update update) {
            sessions.get(neighbor).send(update);
        }

        @Override
        public void flushSoon() {
            speaker.execute(control::flush); // after the tasks queued before it: their changes go out together
        }
    }

    /** One neighbor's session events, on the speaker's thread. */
    private final class NeighborEvents implements SessionEvents {
        private final int neighbor;

        NeighborEvents(int neighbor) {
            this.neighbor = neighbor;
        }

        @Override
        public void established(BgpSession s, Open peer) {
            control.sessionUp(neighbor);
        }

        @Override
        public void update(BgpSession s, Update update) {
            control.received(neighbor, update);
        }

        @Override
        public void routeRefresh(BgpSession s, RouteRefresh request) {
            if (request.family().equals(AddressFamily.L2VPN_EVPN)) {
                control.routeRefresh(neighbor);
            }
        }

        @Override
        public void down(BgpSession s, String reason) {
            int n = control.sessionDown(neighbor);
            log.accept("neighbor " + s.config().peerAddress().getHostAddress() + ": " + n + " routes withdrawn ("
                    + reason + ")");
        }
    }
}
