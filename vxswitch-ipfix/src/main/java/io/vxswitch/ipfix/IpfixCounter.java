package io.vxswitch.ipfix;

import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.MetricFamily;

import java.util.function.ToLongFunction;

/**
 * Flow export's counters, for the switch's counter registry (so Prometheus exports them as they are described
 * here): registered as a poll of the exporter's {@link IpfixStatus} while IPFIX is configured. Totals since the
 * daemon started, across reloads that replace the exporter.
 */
public enum IpfixCounter implements CounterDescriptor {
    OBSERVED("observed", "vxswitch_ipfix_observed_frames", "Frames sampled into the lanes' flow rings.",
        IpfixStatus::observed),
    RING_FULL("ring_full", "vxswitch_ipfix_ring_full_drops",
        "Sampled frames dropped because a lane's flow ring was full (the exporter fell behind).", IpfixStatus::ringFull),
    FLOWS("flows", "vxswitch_ipfix_flows", "Flows created in the flow cache.", IpfixStatus::flows),
    EVICTED("evicted", "vxswitch_ipfix_flows_evicted",
        "Flows exported early because the flow cache was full (flowEndReason lack of resources).", IpfixStatus::evicted),
    RECORDS("records", "vxswitch_ipfix_records", "IPFIX data records sent.", IpfixStatus::records),
    MESSAGES("messages", "vxswitch_ipfix_messages", "IPFIX messages sent (each to every collector).",
        IpfixStatus::messages),
    TEMPLATES("templates", "vxswitch_ipfix_template_messages", "IPFIX messages that carried the templates.",
        IpfixStatus::templates),
    SEND_ERRORS("send_errors", "vxswitch_ipfix_send_errors",
        "IPFIX messages a collector's socket refused (counted per collector).", IpfixStatus::sendErrors);

    private final String key;
    private final MetricFamily family;
    private final ToLongFunction<IpfixStatus> value;

    IpfixCounter(String key, String metric, String help, ToLongFunction<IpfixStatus> value) {
        this.key = key;
        this.family = MetricFamily.of(metric, help);
        this.value = value;
    }

    /** Every counter's value in {@code status}, in enum order (what the registry's poll returns). */
    public static long[] values(IpfixStatus status) {
        IpfixCounter[] all = values();
        long[] out = new long[all.length];
        for (int i = 0; i < all.length; i++) {
            out[i] = all[i].value.applyAsLong(status);
        }
        return out;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String description() {
        return family.help();
    }

    @Override
    public CounterScope scope() {
        return CounterScope.SWITCH;
    }

    @Override
    public CounterKind kind() {
        return CounterKind.HIDDEN;
    }

    @Override
    public MetricFamily family() {
        return family;
    }
}
