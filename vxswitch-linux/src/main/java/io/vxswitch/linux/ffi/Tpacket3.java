package io.vxswitch.linux.ffi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The structures of a {@code TPACKET_V3} receive ring ({@code linux/if_packet.h}, packet(7),
 * Documentation/networking/packet_mmap.rst): the request that sizes it, the descriptor at the start of each
 * block, and the header in front of each frame.
 *
 * <p>A V3 ring is a run of blocks the kernel fills with variable-length frames. A block belongs to user space
 * from the moment its {@code block_status} has {@code TP_STATUS_USER} (the kernel sets it when the block is
 * full or its retire timer fired) until user space writes {@code TP_STATUS_KERNEL} back.
 */
public final class Tpacket3 {
    public static final StructLayout REQUEST = MemoryLayout.structLayout(
        JAVA_INT.withName("tp_block_size"),
        JAVA_INT.withName("tp_block_nr"),
        JAVA_INT.withName("tp_frame_size"),
        JAVA_INT.withName("tp_frame_nr"),
        JAVA_INT.withName("tp_retire_blk_tov"),
        JAVA_INT.withName("tp_sizeof_priv"),
        JAVA_INT.withName("tp_feature_req_word")).withName("tpacket_req3");

    /** {@code struct tpacket_block_desc} with its {@code tpacket_hdr_v1}. */
    public static final StructLayout BLOCK = MemoryLayout.structLayout(
        JAVA_INT.withName("version"),
        JAVA_INT.withName("offset_to_priv"),
        JAVA_INT.withName("block_status"),
        JAVA_INT.withName("num_pkts"),
        JAVA_INT.withName("offset_to_first_pkt"),
        JAVA_INT.withName("blk_len"),
        JAVA_LONG.withName("seq_num"),
        JAVA_INT.withName("ts_first_sec"),
        JAVA_INT.withName("ts_first_nsec"),
        JAVA_INT.withName("ts_last_sec"),
        JAVA_INT.withName("ts_last_nsec")).withName("tpacket_block_desc");

    /** {@code struct tpacket3_hdr} with {@code tpacket_hdr_variant1}. */
    public static final StructLayout FRAME = MemoryLayout.structLayout(
        JAVA_INT.withName("tp_next_offset"),
        JAVA_INT.withName("tp_sec"),
        JAVA_INT.withName("tp_nsec"),
        JAVA_INT.withName("tp_snaplen"),
        JAVA_INT.withName("tp_len"),
        JAVA_INT.withName("tp_status"),
        JAVA_SHORT.withName("tp_mac"),
        JAVA_SHORT.withName("tp_net"),
        JAVA_INT.withName("tp_rxhash"),
        JAVA_INT.withName("tp_vlan_tci"),
        JAVA_SHORT.withName("tp_vlan_tpid"),
        JAVA_SHORT.withName("tp_padding"),
        MemoryLayout.paddingLayout(8)).withName("tpacket3_hdr");

    public static final int PACKET_RX_RING = 5;
    public static final int PACKET_VERSION = 10;
    public static final int TPACKET_V3 = 2;
    /** {@code TPACKET3_HDRLEN}: the frame header aligned to 16, then the {@code sockaddr_ll}. */
    public static final int HEADER_LENGTH = 48 + (int) SockaddrLl.SIZE;

    public static final int TP_STATUS_KERNEL = 0;
    public static final int TP_STATUS_USER = 1;

    private static final VarHandle BLOCK_SIZE = Layouts.field(REQUEST, "tp_block_size");
    private static final VarHandle BLOCK_NR = Layouts.field(REQUEST, "tp_block_nr");
    private static final VarHandle FRAME_SIZE = Layouts.field(REQUEST, "tp_frame_size");
    private static final VarHandle FRAME_NR = Layouts.field(REQUEST, "tp_frame_nr");
    private static final VarHandle RETIRE_TOV = Layouts.field(REQUEST, "tp_retire_blk_tov");

    private static final long BLOCK_STATUS = Layouts.offset(BLOCK, "block_status");
    private static final VarHandle NUM_PKTS = Layouts.field(BLOCK, "num_pkts");
    private static final VarHandle FIRST_PKT = Layouts.field(BLOCK, "offset_to_first_pkt");
    private static final VarHandle NEXT = Layouts.field(FRAME, "tp_next_offset");
    private static final VarHandle SNAPLEN = Layouts.field(FRAME, "tp_snaplen");
    private static final VarHandle LEN = Layouts.field(FRAME, "tp_len");
    private static final VarHandle STATUS = Layouts.field(FRAME, "tp_status");
    private static final VarHandle MAC = Layouts.field(FRAME, "tp_mac");
    private static final VarHandle TCI = Layouts.field(FRAME, "tp_vlan_tci");
    private static final VarHandle TPID = Layouts.field(FRAME, "tp_vlan_tpid");
    /** Acquire/release on the block status: the kernel's frame writes happen before it hands the block over. */
    private static final VarHandle STATUS_WORD = JAVA_INT.varHandle();
    /** {@code sll_pkttype} inside the {@code sockaddr_ll} that follows the frame header. */
    private static final long PKTTYPE = 48 + 10;

    private Tpacket3() {
    }

    public static void request(MemorySegment s, int blockSize, int blocks, int frameSize, int retireMillis) {
        BLOCK_SIZE.set(s, 0L, blockSize);
        BLOCK_NR.set(s, 0L, blocks);
        FRAME_SIZE.set(s, 0L, frameSize);
        FRAME_NR.set(s, 0L, blockSize / frameSize * blocks);
        RETIRE_TOV.set(s, 0L, retireMillis);
    }

    /** The block's status, read with acquire semantics: frames behind a TP_STATUS_USER are complete. */
    public static int blockStatus(MemorySegment ring, long block) {
        return (int) STATUS_WORD.getAcquire(ring, block + BLOCK_STATUS);
    }

    /** Hands the block back to the kernel, after every read of its frames (release semantics). */
    public static void returnBlock(MemorySegment ring, long block) {
        STATUS_WORD.setRelease(ring, block + BLOCK_STATUS, TP_STATUS_KERNEL);
    }

    public static int frameCount(MemorySegment ring, long block) {
        return (int) NUM_PKTS.get(ring, block);
    }

    public static long firstFrame(MemorySegment ring, long block) {
        return block + ((int) FIRST_PKT.get(ring, block) & 0xFFFF_FFFFL);
    }

    /** Bytes from this frame's header to the next one's (0 on the block's last frame). */
    public static int nextOffset(MemorySegment ring, long frame) {
        return (int) NEXT.get(ring, frame);
    }

    public static int capturedLength(MemorySegment ring, long frame) {
        return (int) SNAPLEN.get(ring, frame);
    }

    public static int wireLength(MemorySegment ring, long frame) {
        return (int) LEN.get(ring, frame);
    }

    public static int status(MemorySegment ring, long frame) {
        return (int) STATUS.get(ring, frame);
    }

    /** Where the Ethernet header starts, from the frame header. */
    public static int macOffset(MemorySegment ring, long frame) {
        return (short) MAC.get(ring, frame) & 0xFFFF;
    }

    public static int vlanTci(MemorySegment ring, long frame) {
        return (int) TCI.get(ring, frame) & 0xFFFF;
    }

    public static int vlanTpid(MemorySegment ring, long frame) {
        return (short) TPID.get(ring, frame) & 0xFFFF;
    }

    public static int packetType(MemorySegment ring, long frame) {
        return ring.get(JAVA_BYTE, frame + PKTTYPE) & 0xFF;
    }
}
