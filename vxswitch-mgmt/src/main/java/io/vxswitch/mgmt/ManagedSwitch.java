package io.vxswitch.mgmt;

import io.vxswitch.ipfix.IpfixStatus;
import io.vxswitch.evpn.NeighborView;
import io.vxswitch.evpn.RouteView;
import io.vxswitch.forwarding.Switch;

import io.vxswitch.forwarding.lacp.LagStatus;

import java.util.List;
import java.util.function.Function;

/**
 * A running switch as the management plane sees it. The {@link Switch} belongs to its switch loop; the API reaches
 * it only through {@link #call}, which runs a function between two turns of that loop, so the data path never takes
 * a lock and a reader never sees a half-made change.
 */
public interface ManagedSwitch {
    /** Whether the switch runs the BGP-EVPN control plane (its config has an evpn section). */
    default boolean evpnEnabled() {
        return false;
    }

    /** The BGP neighbors of the EVPN control plane; empty without one. */
    default List<NeighborView> bgpNeighbors() {
        return List.of();
    }

    /** The EVPN routes received (in use) and originated; empty without EVPN. */
    default List<RouteView> evpnRoutes() {
        return List.of();
    }

    /**
     * Each link aggregation group and its members' LACP state, as the LACP agent saw them at its last tick (at most
     * 100 ms ago); empty without LAGs. Read off the agent, not the switch loop.
     */
    default List<LagStatus> lags() {
        return List.of();
    }

    /** IPFIX flow export's settings and counts (totals since start), or null when the config has no ipfix block. */
    default IpfixStatus ipfix() {
        return null;
    }

    String name();

    /**
     * Runs {@code function} on the switch loop and returns its result.
     *
     * @throws ApiException 503 if the loop does not answer within a few seconds (stopped, or stuck)
     */
    <T> T call(Function<Switch, T> function);

    /** The switch's VXLAN tunnels. Their VTEPs, like the switch, are only touched inside {@link #call}. */
    List<TunnelInfo> tunnels();

    /**
     * Starts copying port {@code port}'s frames, received and sent, to a new session.
     *
     * @param snaplen bytes kept of each frame
     * @throws ApiException 404 for an unknown port, 409 if the port is already being captured
     */
    CaptureSession capture(String port, int snaplen);

    /**
     * Adds a port described as in the config file (JSON or YAML), opening its device; returns its start-up line.
     *
     * @throws ApiException 400 for a bad description or a device that cannot be opened, 409 if the name is taken
     */
    String addPort(String description);

    /** Removes a port and closes its device; returns what was done. @throws ApiException 404, 400 for a tunnel */
    String removePort(String name);

    /**
     * Adds a port mirroring session described as in the config file's {@code mirrors:} (JSON or YAML), kept across a
     * restart; returns its line.
     *
     * @throws ApiException 400 for a bad description, 409 if the name is taken or the session clashes with another
     */
    default String addMirror(String description) {
        throw new ApiException(501, "this switch has no run-time mirror sessions: add them to its config");
    }

    /** Removes a mirror session; returns what was done. @throws ApiException 404 */
    default String removeMirror(String name) {
        throw new ApiException(501, "this switch has no run-time mirror sessions: remove them from its config");
    }

    /**
     * Reads the config file again and applies the difference, one line per change.
     *
     * @throws ApiException 400 for a bad file, 409 if a change needs a restart (then nothing is applied)
     */
    List<String> reloadConfig();
}
