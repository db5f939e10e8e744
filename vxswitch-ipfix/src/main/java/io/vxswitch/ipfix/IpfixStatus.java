package io.vxswitch.ipfix;

/**
 * A reading of flow export's counters, for {@code vxswitch ipfix}, the API and Prometheus.
 *
 * @param options    what is configured
 * @param observed   frames the lanes sampled into their rings
 * @param ringFull   sampled frames dropped because a lane's ring was full (the exporter fell behind)
 * @param flows      flows created in the cache
 * @param cached     flows in the cache now
 * @param evicted    flows exported early because the cache was full
 * @param records    flow records sent (each to every collector); the sampling report's options records not counted
 * @param messages   IPFIX messages sent
 * @param templates  messages that carried the templates (and the sampling report)
 * @param sendErrors messages a collector's socket refused (one per collector and message)
 */
public record IpfixStatus(IpfixOptions options, long observed, long ringFull, long flows, int cached, long evicted,
                          long records, long messages, long templates, long sendErrors) {
    /** This reading with {@code earlier}'s counts added: totals across exporters that a reload replaced. */
    public IpfixStatus plus(IpfixStatus earlier) {
        if (earlier == null) {
            return this;
        }
        return new IpfixStatus(options, observed + earlier.observed, ringFull + earlier.ringFull,
            flows + earlier.flows, cached, evicted + earlier.evicted, records + earlier.records,
            messages + earlier.messages, templates + earlier.templates, sendErrors + earlier.sendErrors);
    }
}
