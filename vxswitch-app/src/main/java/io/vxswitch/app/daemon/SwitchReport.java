package io.vxswitch.app.daemon;

import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.PortCounter;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterReading;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.CounterValues;

/**
 * The MAC table and the per-port counters of a switch, as text (like {@code ip -s link} and {@code fdb/show}). The
 * counters are the switch's registry's: the switch's own and, in the daemon, its devices' (queue full, refused).
 */
public final class SwitchReport {
    private SwitchReport() {
    }

    public static String render(Switch sw, long now) {
        CounterReading counts = sw.counters().read();
        StringBuilder sb = new StringBuilder();
        sb.append("MAC table of ").append(sw.name()).append(":\n").append(sw.showFdb(now));
        sb.append(String.format("%-12s %10s %12s %10s %12s  %s%n", "port", "rx frames", "rx bytes", "tx frames",
            "tx bytes", "drops"));
        for (Port p : sw.ports()) {
            CounterValues c = counts.of(CounterScope.PORT, p.name());
            String drops = c.describe(CounterKind.DROP, ", ");
            sb.append(String.format("%-12s %10d %12d %10d %12d  %s%n", p.name(), c.get(PortCounter.RX_FRAMES),
                c.get(PortCounter.RX_BYTES), c.get(PortCounter.TX_FRAMES), c.get(PortCounter.TX_BYTES),
                drops.isEmpty() ? "-" : drops));
        }
        return sb.toString();
    }
}
