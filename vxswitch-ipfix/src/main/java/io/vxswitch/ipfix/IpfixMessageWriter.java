package io.vxswitch.ipfix;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes IPFIX messages (RFC 7011 §3) into one reused buffer: the message header, then sets, each a set header and
 * records. Data records of one template share a set until a record of another template comes. A message is bounded
 * by {@code maxLength} (over UDP it must fit one datagram the path carries, §10.3.3), and {@link #add} says when it
 * is full, so the caller sends it and begins the next. Nothing is allocated per message or record.
 *
 * <pre>
 * message header (16): version 10 | length | export time (s) | sequence number | observation domain id
 * set header (4):      set id (2 = template set, 3 = options template set, >= 256 = data set of that template) | set length
 * template record:     template id | field count | (element id | field length) per field
 * options template:    template id | field count | scope field count | (element id | field length) per field, scope first
 * </pre>
 * {@link #addTemplates} writes every template and, after them, the sampling report's two options data records
 * ({@link IpfixOptionsTemplate}); those are data records too, so the sequence number counts them (RFC 7011 §2: an
 * Options Template Record defines the fields of a Data Record; §3.1: the sequence number counts Data Records).
 */
public final class IpfixMessageWriter {
    public static final int VERSION = 10;
    public static final int HEADER_LENGTH = 16;
    public static final int SET_HEADER_LENGTH = 4;
    public static final int TEMPLATE_SET_ID = 2;
    public static final int OPTIONS_TEMPLATE_SET_ID = 3;
    /** RFC 7133 (IANA's layer2SegmentId): the top octet names the segment type, 0x01 for VXLAN's 24-bit VNI. */
    static final long SEGMENT_TYPE_VXLAN = 0x01L << 56;

    private static final IpfixTemplate[] TEMPLATES = IpfixTemplate.values();
    private static final InformationElement[][] FIELDS = new InformationElement[TEMPLATES.length][];

    private static final IpfixOptionsTemplate[] OPTIONS_TEMPLATES = IpfixOptionsTemplate.values();

    static {
        for (IpfixTemplate t : TEMPLATES) {
            FIELDS[t.ordinal()] = t.fields().toArray(InformationElement[]::new);
        }
    }

    private final ByteBuffer buf;
    private int setStart = -1;
    private int setId;
    private int records;
    private int optionsRecords;
    private long observationDomain;

    /** @param maxLength the longest message to write (for UDP: what fits in one datagram on the path) */
    public IpfixMessageWriter(int maxLength) {
        if (maxLength < HEADER_LENGTH + templatesLength()) {
            throw new IllegalArgumentException("an IPFIX message of " + maxLength + " bytes cannot hold the templates");
        }
        buf = ByteBuffer.allocate(maxLength).order(ByteOrder.BIG_ENDIAN);
    }

    /** Starts a message; {@code sequence} is the count of data records sent before it (RFC 7011 §3.1). */
    public void begin(long exportSeconds, long sequence, long observationDomain) {
        buf.clear();
        buf.putShort((short) VERSION);
        buf.putShort((short) 0); // the length, once known
        buf.putInt((int) exportSeconds);
        buf.putInt((int) sequence);
        buf.putInt((int) observationDomain);
        this.observationDomain = observationDomain;
        setStart = -1;
        records = 0;
        optionsRecords = 0;
    }

    /** Bytes of the template set holding every template, header included. */
    public static int templateSetLength() {
        int length = SET_HEADER_LENGTH;
        for (IpfixTemplate t : TEMPLATES) {
            length += t.templateLength();
        }
        return length;
    }

    /**
     * Bytes {@link #addTemplates} writes: the template set, an options template set per options template, and a data
     * set with the one record of each.
     */
    public static int templatesLength() {
        int length = templateSetLength();
        for (IpfixOptionsTemplate t : OPTIONS_TEMPLATES) {
            length += SET_HEADER_LENGTH + t.templateLength() + SET_HEADER_LENGTH + t.recordLength();
        }
        return length;
    }

    /**
     * Adds a template set with every template, an options template set with each options template (one a set: nfdump
     * 1.7.1 reads only a set's first), then the sampling report: a data set with each options template's record,
     * saying that one frame in {@code sampling} is observed. False (nothing written) if the message has no room.
     */
    public boolean addTemplates(int sampling) {
        closeSet();
        if (buf.remaining() < templatesLength()) {
            return false;
        }
        openSet(TEMPLATE_SET_ID);
        for (IpfixTemplate t : TEMPLATES) {
            List<InformationElement> fields = t.fields();
            buf.putShort((short) t.id());
            buf.putShort((short) fields.size());
            for (InformationElement e : FIELDS[t.ordinal()]) {
                fieldSpecifier(e);
            }
        }
        closeSet();
        for (IpfixOptionsTemplate t : OPTIONS_TEMPLATES) {
            openSet(OPTIONS_TEMPLATE_SET_ID);
            buf.putShort((short) t.id());
            buf.putShort((short) t.fields().size());
            buf.putShort((short) t.scopeFieldCount());
            for (InformationElement e : t.fields()) {
                fieldSpecifier(e);
            }
            closeSet();
        }
        for (IpfixOptionsTemplate t : OPTIONS_TEMPLATES) {
            openSet(t.id());
            for (InformationElement e : t.fields()) {
                switch (e) {
                    case SELECTOR_ID -> buf.putLong(IpfixOptionsTemplate.SELECTOR_ID_VALUE);
                    case SELECTOR_ALGORITHM -> buf.putShort((short) IpfixOptionsTemplate.SYSTEMATIC_COUNT_BASED);
                    case SAMPLING_PACKET_INTERVAL -> buf.putInt(1);
                    case SAMPLING_PACKET_SPACE -> buf.putInt(sampling - 1);
                    case OBSERVATION_DOMAIN_ID -> buf.putInt((int) observationDomain);
                    case SAMPLING_INTERVAL -> buf.putInt(sampling);
                    default -> throw new IllegalStateException(e + " is no element of the sampling report");
                }
            }
            closeSet();
            records++;
            optionsRecords++;
        }
        return true;
    }

    private void fieldSpecifier(InformationElement e) {
        buf.putShort((short) e.id()); // enterprise bit clear: IANA's element
        buf.putShort((short) e.length());
    }

    /** Adds {@code r} as a data record of its template; false (nothing written) if the message is full. */
    public boolean add(FlowRecord r) {
        IpfixTemplate t = IpfixTemplate.of(r);
        int needed = t.recordLength() + (setStart >= 0 && setId == t.id() ? 0 : SET_HEADER_LENGTH);
        if (buf.remaining() < needed) {
            return false;
        }
        if (setStart < 0 || setId != t.id()) {
            closeSet();
            openSet(t.id());
        }
        for (InformationElement e : FIELDS[t.ordinal()]) {
            write(e, r);
        }
        records++;
        return true;
    }

    private void write(InformationElement e, FlowRecord r) {
        switch (e) {
            case SOURCE_MAC_ADDRESS -> mac(r.srcMac);
            case DESTINATION_MAC_ADDRESS -> mac(r.dstMac);
            case VLAN_ID -> buf.putShort((short) r.vlan);
            case LAYER2_SEGMENT_ID -> buf.putLong(SEGMENT_TYPE_VXLAN | (r.vni & 0xFFFFFFL));
            case SOURCE_IPV4_ADDRESS -> buf.putInt((int) r.srcIpLow);
            case DESTINATION_IPV4_ADDRESS -> buf.putInt((int) r.dstIpLow);
            case SOURCE_IPV6_ADDRESS -> buf.putLong(r.srcIpHigh).putLong(r.srcIpLow);
            case DESTINATION_IPV6_ADDRESS -> buf.putLong(r.dstIpHigh).putLong(r.dstIpLow);
            case PROTOCOL_IDENTIFIER -> buf.put((byte) r.protocol);
            case SOURCE_TRANSPORT_PORT -> buf.putShort((short) r.srcPort);
            case DESTINATION_TRANSPORT_PORT -> buf.putShort((short) r.dstPort);
            case INGRESS_INTERFACE -> buf.putInt(r.ingressInterface);
            case EGRESS_INTERFACE -> buf.putInt(r.egressInterface);
            case PACKET_DELTA_COUNT -> buf.putLong(r.packets);
            case LAYER2_OCTET_DELTA_COUNT -> buf.putLong(r.layer2Octets);
            case OCTET_DELTA_COUNT -> buf.putLong(r.octets);
            case FLOW_START_MILLISECONDS -> buf.putLong(r.startMillis);
            case FLOW_END_MILLISECONDS -> buf.putLong(r.endMillis);
            case FLOW_END_REASON -> buf.put((byte) r.endReason.code());
            default -> throw new IllegalStateException(e + " is no element of a flow record");
        }
    }

    private void mac(long mac) {
        buf.putShort((short) (mac >>> 32));
        buf.putInt((int) mac);
    }

    private void openSet(int id) {
        setStart = buf.position();
        setId = id;
        buf.putShort((short) id);
        buf.putShort((short) 0); // the set's length, once closed
    }

    private void closeSet() {
        if (setStart >= 0) {
            buf.putShort(setStart + 2, (short) (buf.position() - setStart)); // fixed-length records: no padding
            setStart = -1;
        }
    }

    /** Data records in the message so far, the sampling report's included: what the sequence number counts. */
    public int records() {
        return records;
    }

    /** Data records of flows in the message so far (the sampling report's left out). */
    public int flowRecords() {
        return records - optionsRecords;
    }

    /** True if the message holds no set yet. */
    public boolean empty() {
        return buf.position() == HEADER_LENGTH && setStart < 0;
    }

    /** Ends the message: its last set closed, its length written; returns the message, ready to send. */
    public ByteBuffer finish() {
        closeSet();
        buf.putShort(2, (short) buf.position());
        return buf.duplicate().flip();
    }
}
