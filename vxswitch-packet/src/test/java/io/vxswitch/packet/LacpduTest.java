package io.vxswitch.packet;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

class LacpduTest {
    /**
     * A LACPDU Open vSwitch 3.1.0 sent on this machine (userspace datapath, {@code add-bond ... lacp=active
     * other_config:lacp-time=fast}), captured with tshark on the far end of the veth before any partner answered:
     * actor state 0x77 (activity, timeout, aggregation, collecting, distributing, defaulted), partner all zero.
     */
    static final String OVS_DEFAULTED = """
        0180c2000002 e65d4ae013fe 8809
        01 01
        01 14 fffe 86c5f6d86c44 0001 ffff 0002 77 000000
        02 14 0000 000000000000 0000 0000 0000 00 000000
        03 10 0000 000000000000000000000000
        00 00 0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
        """;

    @Test
    void reads_every_field_of_the_lacpdu_open_vswitch_sent() {
        MemorySegment s = Hex.segment(OVS_DEFAULTED);
        assertThat(s.byteSize()).isEqualTo(124);
        assertThat(Lacpdu.toSlowProtocols(s, 0)).isTrue();
        assertThat(Lacpdu.check(s, 14, (int) s.byteSize() - 14)).isEqualTo(Lacpdu.Fault.NONE);
        long actor = 14 + Lacpdu.ACTOR_OFFSET;
        assertThat(Lacpdu.systemPriority(s, actor)).isEqualTo(65534);
        assertThat(MacAddress.format(Lacpdu.system(s, actor))).isEqualTo("86:c5:f6:d8:6c:44");
        assertThat(Lacpdu.key(s, actor)).isEqualTo(1);
        assertThat(Lacpdu.portPriority(s, actor)).isEqualTo(65535);
        assertThat(Lacpdu.port(s, actor)).isEqualTo(2);
        assertThat(Lacpdu.state(s, actor)).isEqualTo(0x77);
        long partner = 14 + Lacpdu.PARTNER_OFFSET;
        assertThat(Lacpdu.system(s, partner)).isZero();
        assertThat(Lacpdu.state(s, partner)).isZero();
    }

    @Test
    void writing_the_fields_read_gives_back_the_same_bytes() {
        MemorySegment in = Hex.segment(OVS_DEFAULTED);
        MemorySegment out = MemorySegment.ofArray(new byte[124]);
        out.fill((byte) 0x5A); // whatever the buffer held before
        Lacpdu.writeEthernet(out, 0, MacAddress.read(in, 6));
        Lacpdu.writeFrame(out, 14);
        for (long tlv : new long[] {Lacpdu.ACTOR_OFFSET, Lacpdu.PARTNER_OFFSET}) {
            long at = 14 + tlv;
            Lacpdu.writeInfo(out, at, Wire.u8(in, at), Lacpdu.systemPriority(in, at), Lacpdu.system(in, at),
                Lacpdu.key(in, at), Lacpdu.portPriority(in, at), Lacpdu.port(in, at), Lacpdu.state(in, at));
        }
        assertThat(Hex.of(out, 0, 124)).isEqualTo(Hex.strip(OVS_DEFAULTED));
    }

    @Test
    void each_fault_is_named() {
        assertThat(check(b -> { }, 41)).isEqualTo(Lacpdu.Fault.TRUNCATED);
        assertThat(check(b -> b[14] = 2, 110)).isEqualTo(Lacpdu.Fault.NOT_LACP);
        assertThat(check(b -> b[15] = 0, 110)).isEqualTo(Lacpdu.Fault.BAD_VERSION);
        assertThat(check(b -> b[15] = 2, 110)).as("a later version is read as version 1").isEqualTo(Lacpdu.Fault.NONE);
        assertThat(check(b -> b[16] = 2, 110)).isEqualTo(Lacpdu.Fault.BAD_ACTOR_TLV);
        assertThat(check(b -> b[17] = 21, 110)).isEqualTo(Lacpdu.Fault.BAD_ACTOR_TLV);
        assertThat(check(b -> b[36] = 1, 110)).isEqualTo(Lacpdu.Fault.BAD_PARTNER_TLV);
        assertThat(check(b -> b[37] = 0, 110)).isEqualTo(Lacpdu.Fault.BAD_PARTNER_TLV);
        assertThat(check(b -> { }, 42)).as("collector and terminator are not needed").isEqualTo(Lacpdu.Fault.NONE);
    }

    private static Lacpdu.Fault check(java.util.function.Consumer<byte[]> change, int length) {
        byte[] b = Hex.bytes(OVS_DEFAULTED);
        change.accept(b);
        return Lacpdu.check(MemorySegment.ofArray(b), 14, length);
    }
}
