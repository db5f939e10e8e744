package io.vxswitch.linux.packet;

import io.vxswitch.linux.ffi.CmsgHdr;
import io.vxswitch.linux.ffi.TpacketAuxdata;
import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;

import java.lang.foreign.MemorySegment;

/**
 * Puts back the 802.1Q tag the kernel took out of a received frame. With VLAN acceleration (veth, most NICs)
 * the tag travels beside the frame ({@code skb->vlan_tci}), and AF_PACKET hands the frame without it plus a
 * {@code tpacket_auxdata} saying {@code TP_STATUS_VLAN_VALID}, the TCI and, with
 * {@code TP_STATUS_VLAN_TPID_VALID}, the TPID (packet(7)). The tag goes back after the source MAC, moving the
 * two MACs 4 bytes left into the headroom in front of the frame, so the rest of the frame is not copied.
 */
final class TagRestorer {
    private TagRestorer() {
    }

    /**
     * Finds the {@code SOL_PACKET/PACKET_AUXDATA} control message among {@code length} bytes of ancillary
     * data at {@code at}; returns the offset of its {@code tpacket_auxdata}, or {@code -1}.
     */
    static long findAuxdata(MemorySegment control, long at, long length) {
        return CmsgHdr.find(control, at, length, TpacketAuxdata.SOL_PACKET, TpacketAuxdata.PACKET_AUXDATA,
            TpacketAuxdata.SIZE);
    }

    /** True if the auxdata reports a stripped tag. Old kernels set no flag but a non-zero TCI. */
    static boolean hasStrippedTag(int status, int tci) {
        return (status & TpacketAuxdata.TP_STATUS_VLAN_VALID) != 0 || tci != 0;
    }

    static int tpid(int status, int tpid) {
        return (status & TpacketAuxdata.TP_STATUS_VLAN_TPID_VALID) != 0 && tpid != 0 ? tpid : EtherType.VLAN;
    }

    /**
     * Inserts the tag in front of the EtherType of the frame at {@code frame}, which must have
     * {@link Dot1q#LENGTH} spare bytes before it. Returns the new start of the frame ({@code frame - 4}).
     */
    static long restore(MemorySegment s, long frame, int tpid, int tci) {
        long start = frame - Dot1q.LENGTH;
        MemorySegment.copy(s, frame, s, start, Ethernet.TYPE_OFFSET); // dst + src MACs, 4 bytes left
        Dot1q.write(s, start + Ethernet.TYPE_OFFSET, tpid, tci);
        return start;
    }
}
