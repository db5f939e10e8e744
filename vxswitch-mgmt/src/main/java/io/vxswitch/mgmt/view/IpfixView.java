package io.vxswitch.mgmt.view;

import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.ipfix.IpfixOptions;
import io.vxswitch.ipfix.IpfixStatus;

import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /api/v1/ipfix}: flow export's settings, counts and the interface index each port has in the records
 * (ingressInterface/egressInterface: port id + 1; 0 for a frame sent to several ports). {@code enabled} is false
 * and the rest empty without an ipfix block.
 */
public record IpfixView(boolean enabled, List<String> collectors, long observationDomain, int sampling,
                        long activeTimeoutSeconds, long idleTimeoutSeconds, int cacheEntries,
                        long templateRefreshSeconds, int cachedFlows, long observed, long ringFullDrops, long flows,
                        long evicted, long records, long messages, long templateMessages, long sendErrors,
                        List<Interface> interfaces) {
    public record Interface(String port, int index) {
    }

    /** Runs on the switch loop (the ports); {@code status} is null when export is off. */
    public static IpfixView of(IpfixStatus status, Switch sw) {
        if (status == null) {
            return new IpfixView(false, List.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());
        }
        IpfixOptions o = status.options();
        List<Interface> interfaces = sw.ports().stream().sorted(Comparator.comparingInt(Port::id))
            .map(p -> new Interface(p.name(), p.id() + 1)).toList();
        return new IpfixView(true, o.collectors().stream().map(IpfixOptions::text).toList(),
            o.observationDomain(), o.sampling(), o.activeTimeout() / IpfixOptions.SECOND,
            o.idleTimeout() / IpfixOptions.SECOND, o.cacheEntries(), o.templateRefresh() / IpfixOptions.SECOND,
            status.cached(), status.observed(), status.ringFull(), status.flows(), status.evicted(), status.records(),
            status.messages(), status.templates(), status.sendErrors(), interfaces);
    }
}
