package io.vxswitch.app.daemon;

import io.vxswitch.forwarding.Port;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.forwarding.lacp.LagDistribution;
import io.vxswitch.linux.dataplane.InterfacePort;
import io.vxswitch.linux.dataplane.LagPort;
import io.vxswitch.linux.dataplane.PortDevice;
import io.vxswitch.linux.dataplane.TapPort;
import io.vxswitch.linux.dataplane.TapReadMode;
import io.vxswitch.linux.dataplane.VhostUserPort;
import io.vxswitch.linux.packet.PacketSocket;
import io.vxswitch.linux.tap.TapDevice;
import io.vxswitch.linux.tap.TapOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A port's Linux devices, opened but not yet attached to a port of the switch: a tap's queues, or an interface's
 * packet sockets, one per forwarding loop. Opening is the step the host may refuse (no such interface, a name taken
 * by another device), and it touches nothing the switch uses, so a reload opens the devices of its new ports before
 * it changes anything, and refuses the whole reload if one fails. A vhost-user port's socket is the exception: the
 * port is made with its switch port, so it is opened in {@link #attach} (what can be checked before, is).
 */
final class OpenedPort implements AutoCloseable {
    private final PortConfig config;
    private final List<TapDevice> taps;
    private final List<PacketSocket> sockets;
    private final Consumer<String> log;
    private final int loops;
    private final TapReadMode tapReads;
    private boolean attached;

    private OpenedPort(PortConfig config, int loops, TapReadMode tapReads, List<TapDevice> taps,
                       List<PacketSocket> sockets, Consumer<String> log) {
        this.config = config;
        this.loops = loops;
        this.tapReads = tapReads;
        this.taps = taps;
        this.sockets = sockets;
        this.log = log;
    }

    /**
     * Opens the devices of {@code p} for {@code loops} forwarding loops (any thread: the switch is not touched). A
     * tap gets a queue per loop, an interface a packet socket per loop in one fanout group; a vhost-user port (one
     * queue pair per loop) opens its socket when attached.
     *
     * @param tapReads how a tap's frames will be read ({@code switch.tapReads})
     * @param log      where a vhost-user port's control thread says what its front-end does
     * @throws HostSwitchException the host refused a device; the message names the port and says why
     */
    static OpenedPort open(PortConfig p, int loops, TapReadMode tapReads, Consumer<String> log) {
        List<TapDevice> taps = new ArrayList<>();
        List<PacketSocket> sockets = new ArrayList<>();
        try {
            switch (p.type()) {
                case TAP -> {
                    TapDevice first = TapDevice.create(p.name(), tapOptions(p).withMultiQueue(loops > 1));
                    taps.add(first);
                    for (int i = 1; i < loops; i++) {
                        taps.add(first.openQueue());
                    }
                }
                case INTERFACE -> {
                    // one socket per loop; with several, a fanout group spreads the frames by flow, as queues do
                    for (int i = 0; i < loops; i++) {
                        PacketSocket socket = PacketSocket.open(p.interfaceName(), true, p.ring(), p.offload());
                        sockets.add(socket); // closed with the others if the join fails
                        if (loops > 1) {
                            socket.joinFanout(PacketSocket.fanoutGroup(socket.ifindex()));
                        }
                    }
                }
                case VHOSTUSER -> { } // its socket is opened with its switch port (attach): a queue pair per loop
                case LAG -> {
                    // per loop, a socket per member, in member order; with several loops, a fanout group per member
                    for (int i = 0; i < loops; i++) {
                        for (String member : p.lag().members()) {
                            PacketSocket socket = PacketSocket.open(member, true, p.ring(), p.offload());
                            sockets.add(socket);
                            if (loops > 1) {
                                socket.joinFanout(PacketSocket.fanoutGroup(socket.ifindex()));
                            }
                        }
                    }
                }
            }
            return new OpenedPort(p, loops, tapReads, taps, sockets, log);
        } catch (RuntimeException e) {
            // the queues or sockets opened before the one that failed
            new OpenedPort(p, loops, tapReads, taps, sockets, log).close();
            throw e instanceof LinuxException
                ? new HostSwitchException("port " + p.name() + ": " + e.getMessage(), e) : e;
        }
    }

    /** The tap's own side is the VM's NIC (e.g. moved into a namespace): it takes the configured MAC and MTU. */
    private static TapOptions tapOptions(PortConfig p) {
        TapOptions o = TapOptions.defaults().withTso(p.offload());
        if (p.mtu() != 0) {
            o = o.withMtu(p.mtu());
        }
        return p.mac() == Port.NO_MAC ? o : o.withMac(p.mac());
    }

    PortConfig config() {
        return config;
    }

    /**
     * The devices, one per loop, serving switch port {@code switchPort}; from now on they own what was opened.
     *
     * @throws HostSwitchException a vhost-user port's socket cannot be opened
     */
    List<PortDevice> attach(int switchPort) {
        attached = true;
        if (config.type() == PortConfig.Type.VHOSTUSER) {
            try {
                return List.copyOf(VhostUserPort.openPairs(config.name(), switchPort, loops, HostSwitch.MAX_FRAME,
                    config.offload(), Path.of(config.socket()), config.vhostMode(), config.socketGroup(), log));
            } catch (LinuxException e) {
                throw new HostSwitchException("port " + config.name() + ": " + e.getMessage(), e);
            }
        }
        List<PortDevice> devices = new ArrayList<>();
        if (config.type() == PortConfig.Type.LAG) {
            // one distribution for every loop's port: the conductor sets it once for all
            LagDistribution distribution = new LagDistribution(config.lag().members().size(), config.lag().hash());
            int n = config.lag().members().size();
            for (int i = 0; i < loops; i++) {
                List<InterfacePort> members = new ArrayList<>();
                for (PacketSocket s : sockets.subList(i * n, (i + 1) * n)) {
                    members.add(new InterfacePort(s, switchPort));
                }
                devices.add(new LagPort(config.name(), members, distribution, switchPort));
            }
            return devices;
        }
        for (int i = 0; i < taps.size(); i++) {
            try {
                devices.add(new TapPort(taps.get(i), switchPort, HostSwitch.MAX_FRAME, tapReads));
            } catch (LinuxException e) { // no io_uring here: what the ports made so far hold, and the rest
                devices.forEach(PortDevice::close);
                taps.subList(i, taps.size()).forEach(TapDevice::close);
                throw new HostSwitchException("port " + config.name() + ": " + e.getMessage(), e);
            }
        }
        for (PacketSocket s : sockets) {
            devices.add(new InterfacePort(s, switchPort));
        }
        return devices;
    }

    /** Closes what was opened, unless {@link #attach} handed it on. */
    @Override
    public void close() {
        if (attached) {
            return;
        }
        attached = true;
        for (int i = taps.size() - 1; i >= 0; i--) {
            taps.get(i).close();
        }
        for (int i = sockets.size() - 1; i >= 0; i--) {
            sockets.get(i).close();
        }
    }
}
