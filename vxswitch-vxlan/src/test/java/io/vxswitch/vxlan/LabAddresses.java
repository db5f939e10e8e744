package io.vxswitch.vxlan;

import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;
import java.lang.foreign.MemorySegment;

/** The lab's addresses (shared/lab/README.md) and a few ready-made inner frames. */
final class LabAddresses {
    static final long VM1 = MacAddress.parseBits("02:00:00:00:00:01");
    static final long VM3 = MacAddress.parseBits("02:00:00:00:00:03");
    static final int IP1 = Ipv4Address.parse("10.0.0.1");
    static final int IP3 = Ipv4Address.parse("10.0.0.3");
    static final long HOST_A_MAC = MacAddress.parseBits("02:00:00:00:0a:01");
    static final long HOST_B_MAC = MacAddress.parseBits("02:00:00:00:0b:01");
    static final VtepAddress HOST_A = VtepAddress.parse("192.0.2.1");
    static final VtepAddress HOST_B = VtepAddress.parse("192.0.2.2");
    static final VtepAddress HOST_A6 = VtepAddress.parse("2001:db8::1");
    static final VtepAddress HOST_B6 = VtepAddress.parse("2001:db8::2");
    static final int VNI = 119;
    static final int VLAN = 119;
    /** Room for the outer headers of either family. */
    static final int HEADROOM = VxlanOverhead.MAX_HEADROOM;

    private LabAddresses() {
    }

    /** vm1's ARP request for 10.0.0.3 (42 bytes), at {@link #HEADROOM} in a 256-byte buffer. */
    static MemorySegment arpRequestWithHeadroom() {
        MemorySegment s = MemorySegment.ofArray(new byte[256]);
        FrameBuilder.arpRequest(s, HEADROOM, VM1, IP1, IP3);
        return s;
    }

    static final int ARP_LENGTH = 42;
}
