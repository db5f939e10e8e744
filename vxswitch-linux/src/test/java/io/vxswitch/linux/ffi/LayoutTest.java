package io.vxswitch.linux.ffi;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemoryLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;

/** Sizes and offsets against Linux x86_64 / glibc, as printed by sizeof/offsetof in C on this machine. */
class LayoutTest {

    @Test
    void struct_sizes_match_linux_x86_64() {
        assertThat(SockaddrLl.SIZE).isEqualTo(20);
        assertThat(SockaddrIn.SIZE).isEqualTo(16);
        assertThat(SockaddrIn6.SIZE).isEqualTo(28);
        assertThat(Iovec.SIZE).isEqualTo(16);
        assertThat(MsgHdr.LAYOUT.byteSize()).as("msghdr").isEqualTo(56);
        assertThat(MmsgHdr.SIZE).isEqualTo(64);
        assertThat(IfReq.SIZE).isEqualTo(40);
        assertThat(TpacketAuxdata.SIZE).isEqualTo(20);
        assertThat(PacketMreq.SIZE).isEqualTo(16);
        assertThat(CmsgHdr.SIZE).isEqualTo(16);
        assertThat(TpacketStats.SIZE).isEqualTo(8);
        assertThat(Tpacket3.REQUEST.byteSize()).as("tpacket_req3").isEqualTo(28);
        assertThat(Tpacket3.BLOCK.byteSize()).as("tpacket_block_desc").isEqualTo(48);
        assertThat(Tpacket3.FRAME.byteSize()).as("tpacket3_hdr").isEqualTo(48);
        assertThat(Tpacket3.HEADER_LENGTH).as("TPACKET3_HDRLEN").isEqualTo(68);
    }

    @Test
    void epoll_event_is_packed_on_x86_64_only() {
        assertThat(EpollEvent.isX86_64("amd64")).isTrue();
        assertThat(EpollEvent.isX86_64("aarch64")).isFalse();
        if (EpollEvent.isX86_64(System.getProperty("os.arch"))) {
            assertThat(EpollEvent.SIZE).isEqualTo(12);
            assertThat(offset(EpollEvent.LAYOUT, "data")).isEqualTo(4);
        } else {
            assertThat(EpollEvent.SIZE).isEqualTo(16);
            assertThat(offset(EpollEvent.LAYOUT, "data")).isEqualTo(8);
        }
    }

    @Test
    void field_offsets_match_linux_x86_64() {
        assertThat(offset(MsgHdr.LAYOUT, "msg_iov")).isEqualTo(16);
        assertThat(offset(MsgHdr.LAYOUT, "msg_control")).isEqualTo(32);
        assertThat(offset(MsgHdr.LAYOUT, "msg_flags")).isEqualTo(48);
        assertThat(offset(MmsgHdr.LAYOUT, "msg_len")).isEqualTo(56);
        assertThat(offset(TpacketAuxdata.LAYOUT, "tp_net")).isEqualTo(14);
        assertThat(offset(TpacketAuxdata.LAYOUT, "tp_vlan_tci")).isEqualTo(16);
        assertThat(offset(TpacketAuxdata.LAYOUT, "tp_vlan_tpid")).isEqualTo(18);
        assertThat(offset(SockaddrLl.LAYOUT, "sll_ifindex")).isEqualTo(4);
        assertThat(offset(SockaddrLl.LAYOUT, "sll_pkttype")).isEqualTo(10);
        assertThat(offset(SockaddrIn6.LAYOUT, "sin6_addr_high")).isEqualTo(8);
        assertThat(offset(SockaddrIn6.LAYOUT, "sin6_scope_id")).isEqualTo(24);
        assertThat(offset(Tpacket3.BLOCK, "block_status")).isEqualTo(8);
        assertThat(offset(Tpacket3.BLOCK, "seq_num")).isEqualTo(24);
        assertThat(offset(Tpacket3.FRAME, "tp_status")).isEqualTo(20);
        assertThat(offset(Tpacket3.FRAME, "tp_mac")).isEqualTo(24);
        assertThat(offset(Tpacket3.FRAME, "tp_vlan_tci")).isEqualTo(32);
        assertThat(offset(Tpacket3.FRAME, "tp_vlan_tpid")).isEqualTo(36);
        assertThat(offset(IfReq.LAYOUT, "ifr_ifru")).isEqualTo(16);
        assertThat(IfReq.HWADDR_DATA_OFFSET).isEqualTo(18);
    }

    @Test
    void cmsg_macros_match_glibc() {
        assertThat(CmsgHdr.space(TpacketAuxdata.SIZE)).as("CMSG_SPACE(sizeof(tpacket_auxdata))").isEqualTo(40);
        assertThat(CmsgHdr.dataOffset()).isEqualTo(16);
        assertThat(CmsgHdr.align(36)).isEqualTo(40);
    }

    @Test
    void constants_match_the_kernel_headers() {
        assertThat(Sockets.SOCK_NONBLOCK).isEqualTo(0x800);
        assertThat(TpacketAuxdata.TP_STATUS_VLAN_VALID).isEqualTo(0x10);
        assertThat(TpacketAuxdata.TP_STATUS_VLAN_TPID_VALID).isEqualTo(0x40);
        assertThat(TpacketAuxdata.TP_STATUS_CSUMNOTREADY).isEqualTo(0x8);
        assertThat(Sockets.PACKET_IGNORE_OUTGOING).isEqualTo(23);
    }

    private static long offset(MemoryLayout layout, String field) {
        return layout.byteOffset(groupElement(field));
    }
}
