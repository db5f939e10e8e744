package io.vxswitch.app.daemon;

import io.vxswitch.forwarding.DropReason;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.PortCounters;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.linux.dataplane.PortDevice;
import io.vxswitch.packet.Malformation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The MAC table and the per-port counters of a switch, as text (like {@code ip -s link} and {@code fdb/show}). */
public final class SwitchReport {
    private SwitchReport() {
    }

    public static String render(Switch sw, long now) {
        return render(sw, List.of(), now);
    }

    /** With the devices' transmit drops (queue full, refused by the kernel) added to their ports' drops. */
    public static String render(Switch sw, List<PortDevice> devices, long now) {
        Map<Integer, List<PortDevice>> byPort = new HashMap<>(); // one device per forwarding loop
        for (PortDevice d : devices) {
            byPort.computeIfAbsent(d.switchPort(), k -> new ArrayList<>()).add(d);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("MAC table of ").append(sw.name()).append(":\n").append(sw.showFdb(now));
        sb.append(String.format("%-12s %10s %12s %10s %12s  %s%n", "port", "rx frames", "rx bytes", "tx frames",
            "tx bytes", "drops"));
        for (Port p : sw.ports()) {
            PortCounters c = p.counters();
            StringBuilder drops = new StringBuilder();
            for (DropReason r : DropReason.values()) {
                if (c.drops(r) > 0) {
                    drops.append(drops.isEmpty() ? "" : ", ").append(r.counterName()).append('=').append(c.drops(r));
                }
            }
            for (Malformation m : Malformation.values()) {
                if (c.malformed(m) > 0) {
                    drops.append(", malformed:").append(m.counterName()).append('=').append(c.malformed(m));
                }
            }
            List<PortDevice> own = byPort.getOrDefault(p.id(), List.of());
            appendCount(drops, "tx_queue_full", own.stream().mapToLong(PortDevice::txQueueFull).sum());
            appendCount(drops, "tx_refused", own.stream().mapToLong(PortDevice::txRefused).sum());
            appendCount(drops, "rx_refused", own.stream().mapToLong(PortDevice::rxRefused).sum());
            sb.append(String.format("%-12s %10d %12d %10d %12d  %s%n", p.name(), c.rxFrames(), c.rxBytes(), c.txFrames(),
                c.txBytes(), drops.isEmpty() ? "-" : drops));
        }
        return sb.toString();
    }

    private static void appendCount(StringBuilder drops, String name, long value) {
        if (value > 0) {
            drops.append(drops.isEmpty() ? "" : ", ").append(name).append('=').append(value);
        }
    }
}
