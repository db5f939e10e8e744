package io.vxswitch.linux.ffi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct tpacket_auxdata} (packet(7), PACKET_AUXDATA): 20 bytes of per-frame metadata in a control
 * message. vxswitch reads the VLAN tag the kernel took out of the frame (hardware VLAN acceleration on
 * veth and most NICs strips it before AF_PACKET sees the data) and the checksum state.
 */
public final class TpacketAuxdata {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("tp_status"),
        JAVA_INT.withName("tp_len"),
        JAVA_INT.withName("tp_snaplen"),
        JAVA_SHORT.withName("tp_mac"),
        JAVA_SHORT.withName("tp_net"),
        JAVA_SHORT.withName("tp_vlan_tci"),
        JAVA_SHORT.withName("tp_vlan_tpid")).withName("tpacket_auxdata");
    public static final long SIZE = LAYOUT.byteSize();

    public static final int SOL_PACKET = 263;
    public static final int PACKET_AUXDATA = 8;
    /** The checksum is partial (CHECKSUM_PARTIAL): the sender left it to an offload that never ran. */
    public static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    /** {@code tp_vlan_tci} holds a tag that was removed from the frame. */
    public static final int TP_STATUS_VLAN_VALID = 1 << 4;
    /** {@code tp_vlan_tpid} holds that tag's TPID (else assume 0x8100). */
    public static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;

    private static final VarHandle STATUS = Layouts.field(LAYOUT, "tp_status");
    private static final VarHandle TCI = Layouts.field(LAYOUT, "tp_vlan_tci");
    private static final VarHandle TPID = Layouts.field(LAYOUT, "tp_vlan_tpid");

    private TpacketAuxdata() {
    }

    public static int status(MemorySegment s, long at) {
        return (int) STATUS.get(s, at);
    }

    public static int vlanTci(MemorySegment s, long at) {
        return (short) TCI.get(s, at) & 0xFFFF;
    }

    public static int vlanTpid(MemorySegment s, long at) {
        return (short) TPID.get(s, at) & 0xFFFF;
    }
}
