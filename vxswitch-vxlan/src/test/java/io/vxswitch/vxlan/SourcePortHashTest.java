package io.vxswitch.vxlan;

import static io.vxswitch.vxlan.LabAddresses.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv4Address;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** RFC 7348 §5 entropy: one flow, one port; many flows, many ports, spread over the range. */
class SourcePortHashTest {
    final SourcePortHash ports = SourcePortHash.rfc7348();
    final MemorySegment s = MemorySegment.ofArray(new byte[256]);

    int udpFlow(int srcIp, int dstIp, int srcPort, int dstPort) {
        int length = FrameBuilder.udp(s, 0, VM1, VM3, srcIp, dstIp, srcPort, dstPort,
            MemorySegment.ofArray(new byte[] {1, 2, 3}));
        return ports.port(s, 0, length);
    }

    @Test
    void one_flow_always_gets_the_same_port_even_from_a_new_instance() {
        int first = udpFlow(IP1, IP3, 40000, 53);

        assertThat(udpFlow(IP1, IP3, 40000, 53)).isEqualTo(first);
        int length = FrameBuilder.udp(s, 0, VM1, VM3, IP1, IP3, 40000, 53, MemorySegment.ofArray(new byte[] {1, 2, 3}));
        assertThat(SourcePortHash.rfc7348().port(s, 0, length)).isEqualTo(first);
    }

    @Test
    void the_payload_and_the_ip_identification_do_not_change_the_flow() {
        int length = FrameBuilder.icmpEcho(s, 0, VM1, VM3, IP1, IP3, true, 7, 1);
        int first = ports.port(s, 0, length);
        FrameBuilder.icmpEcho(s, 0, VM1, VM3, IP1, IP3, true, 7, 2); // next ping: new sequence and checksum
        Ipv4.identification(s, 14, 999);

        assertThat(ports.port(s, 0, length)).isEqualTo(first);
    }

    @Test
    void tcp_or_udp_ports_addresses_and_macs_each_change_the_port_for_most_flows() {
        Set<Integer> seen = new HashSet<>();
        for (int p = 0; p < 64; p++) {
            seen.add(udpFlow(IP1, IP3, 40000 + p, 53));
            seen.add(udpFlow(IP1, Ipv4Address.of(10, 0, 1, p), 40000, 53));
        }
        assertThat(seen).hasSizeGreaterThan(120);
        int length = FrameBuilder.arpRequest(s, 0, VM1, IP1, IP3);
        int fromVm1 = ports.port(s, 0, length);
        FrameBuilder.arpRequest(s, 0, VM3, IP1, IP3);
        assertThat(ports.port(s, 0, length)).isNotEqualTo(fromVm1);
    }

    @Test
    void every_fragment_of_a_datagram_gets_the_port_of_its_flow_without_ports() {
        int length = FrameBuilder.udp(s, 0, VM1, VM3, IP1, IP3, 40000, 53, MemorySegment.ofArray(new byte[16]));
        Ipv4.flagsFragment(s, 14, Ipv4.FLAG_MORE_FRAGMENTS);
        int first = ports.port(s, 0, length);
        Ipv4.flagsFragment(s, 14, 2); // a later fragment: its first bytes are data, not ports
        s.asSlice(34, 8).fill((byte) 0x5A);

        assertThat(ports.port(s, 0, length)).isEqualTo(first);
    }

    @Test
    void ports_spread_evenly_over_the_range() {
        int buckets = 16;
        int[] counts = new int[buckets];
        int flows = 16_000;
        for (int i = 0; i < flows; i++) {
            int port = udpFlow(Ipv4Address.of(10, 0, i >>> 8, i), IP3, 1024 + (i % 50_000), 443);
            assertThat(port).isBetween(49152, 65535);
            counts[(port - 49152) * buckets / 16384]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(flows / buckets * 8 / 10, flows / buckets * 12 / 10); // ±20%
        }
    }

    @Test
    void ranges_are_configurable_and_validated() {
        SourcePortHash linux = SourcePortHash.linuxEphemeral();
        for (int p = 0; p < 1000; p++) {
            int length = FrameBuilder.udp(s, 0, VM1, VM3, IP1, IP3, p, 53, MemorySegment.ofArray(new byte[1]));
            assertThat(linux.port(s, 0, length)).isBetween(32768, 60999);
        }
        assertThat(new SourcePortHash(5000, 5000, 1).port(s, 0, 60)).isEqualTo(5000);
        assertThatThrownBy(() -> new SourcePortHash(60000, 50000, 0)).hasMessageContaining("49152-65535");
        assertThatThrownBy(() -> new SourcePortHash(0, 10, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 2000)
    void any_bytes_hash_into_the_range_without_throwing(@ForAll @Size(max = 120) byte[] bytes) {
        int port = ports.port(MemorySegment.ofArray(bytes), 0, bytes.length);

        assertThat(port).isBetween(49152, 65535);
    }
}
