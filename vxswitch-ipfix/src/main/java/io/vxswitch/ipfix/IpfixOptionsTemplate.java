package io.vxswitch.ipfix;

import java.util.List;
import java.util.stream.Stream;

import static io.vxswitch.ipfix.InformationElement.*;

/**
 * The Options Templates (RFC 7011 §3.4.2.2) of the sampling report: how the switch selects the frames it observes,
 * sent with the templates, each followed by its one options data record, so that a collector scales the counts by
 * itself. The same fact twice, for collectors that read one or the other:
 * <ul>
 * <li>{@link #SELECTOR_REPORT}: PSAMP's Selector Report Interpretation (RFC 5476 §6.5.2.1), scoped to selectorId 1,
 *     the switch's one selector: selectorAlgorithm 1 (systematic count-based), samplingPacketInterval 1 and
 *     samplingPacketSpace N - 1 (one frame taken, N - 1 left, RFC 5475 §5.1). nfdump reads it from 1.7.2 on.</li>
 * <li>{@link #INTERVAL_REPORT}: samplingInterval N (34, NetFlow v9's element), scoped to the observation domain (as
 *     RFC 7011 §4's own options are). What nfdump 1.7.1 (Debian 12) applies: it ignores an options template that has
 *     selectorAlgorithm or selectorId among its non-scope fields, and one that has samplingAlgorithm (35) beside
 *     samplingInterval, so this one has neither; 1.7.2 and later read it too.</li>
 * </ul>
 * nfdump 1.7.1 also reads only the first template of an options template set, so each goes in a set of its own.
 * The flow records carry no selectorId: one selector applies to every record of the observation domain.
 */
public enum IpfixOptionsTemplate {
    SELECTOR_REPORT(262, List.of(SELECTOR_ID), List.of(SELECTOR_ALGORITHM, SAMPLING_PACKET_INTERVAL,
        SAMPLING_PACKET_SPACE)),
    INTERVAL_REPORT(263, List.of(OBSERVATION_DOMAIN_ID), List.of(SAMPLING_INTERVAL));

    /** The switch's one selector (RFC 5477's selectorId: unique within the observation domain). */
    public static final long SELECTOR_ID_VALUE = 1;
    /** IANA's PSAMP selectorAlgorithm 1: systematic count-based sampling. */
    public static final int SYSTEMATIC_COUNT_BASED = 1;

    private final int id;
    private final List<InformationElement> scope;
    private final List<InformationElement> fields;
    private final int recordLength;

    IpfixOptionsTemplate(int id, List<InformationElement> scope, List<InformationElement> options) {
        this.id = id;
        this.scope = scope;
        this.fields = Stream.concat(scope.stream(), options.stream()).toList();
        this.recordLength = fields.stream().mapToInt(InformationElement::length).sum();
    }

    public int id() {
        return id;
    }

    /** Every field, the scope fields first (as the template lists them). */
    public List<InformationElement> fields() {
        return fields;
    }

    public int scopeFieldCount() {
        return scope.size();
    }

    /** Bytes of one options data record. */
    public int recordLength() {
        return recordLength;
    }

    /** Bytes of this template's record: id, field count, scope field count, then id and length per field. */
    public int templateLength() {
        return 6 + 4 * fields.size();
    }
}
