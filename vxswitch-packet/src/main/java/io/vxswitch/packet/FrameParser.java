package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/** Layer-2 classification of a frame in place: addresses, VLAN tag, EtherType. Allocates nothing. */
public final class FrameParser {
    private FrameParser() {
    }

    /**
     * Fills {@code meta} from the frame at {@code offset} and returns {@link Malformation#NONE},
     * or the reason the frame cannot be switched.
     */
    public static Malformation parse(MemorySegment s, long offset, int length, FrameMeta meta) {
        meta.segment = s;
        meta.offset = offset;
        meta.length = length;
        meta.vid = FrameMeta.UNTAGGED;
        meta.pcp = 0;
        meta.serviceTagged = false;
        meta.serviceVid = 0;
        meta.payloadOffset = Ethernet.HEADER_LENGTH;
        if (length < Ethernet.HEADER_LENGTH) {
            meta.dst = 0;
            meta.src = 0;
            meta.etherType = 0;
            return Malformation.RUNT;
        }
        meta.dst = Ethernet.dst(s, offset);
        meta.src = Ethernet.src(s, offset);
        int type = Ethernet.etherType(s, offset);
        meta.etherType = type;
        if (type == EtherType.VLAN) {
            if (length < Ethernet.HEADER_LENGTH + Dot1q.LENGTH) {
                return Malformation.TRUNCATED_VLAN_TAG;
            }
            int tci = Dot1q.tci(s, offset + Ethernet.TYPE_OFFSET);
            int vid = Dot1q.vid(tci);
            if (vid == Dot1q.RESERVED_VID) {
                return Malformation.RESERVED_VID;
            }
            meta.vid = vid;
            meta.pcp = Dot1q.pcp(tci);
            meta.etherType = Wire.u16(s, offset + Ethernet.HEADER_LENGTH + 2);
            meta.payloadOffset = Ethernet.HEADER_LENGTH + Dot1q.LENGTH;
        } else if (EtherType.isServiceTag(type)) {
            if (length < Ethernet.HEADER_LENGTH + Dot1q.LENGTH) {
                return Malformation.TRUNCATED_SERVICE_TAG;
            }
            meta.serviceTagged = true;
            meta.serviceVid = Dot1q.vid(Dot1q.tci(s, offset + Ethernet.TYPE_OFFSET));
        }
        return Malformation.NONE;
    }
}
