package io.vxswitch.lab.ping;

import io.vxswitch.lab.engine.Link;
import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.lab.node.Host;
import io.vxswitch.packet.Arp;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

class PingSessionTest {
    static final long SECOND = 1_000_000_000L;

    final Simulator sim = new Simulator();
    final Host a = new Host(sim, "a", MacAddress.parseBits("00:50:56:00:00:01"), Ipv4Address.parse("10.0.0.1"), 24);
    final Host b = new Host(sim, "b", MacAddress.parseBits("00:50:56:00:00:02"), Ipv4Address.parse("10.0.0.2"), 24);

    private PingSession ping(String target, int count) {
        PingSession s = new PingSession(a, Ipv4Address.parse(target), count, SECOND, done -> { });
        s.start();
        sim.run();
        return s;
    }

    @Test
    void two_hosts_on_one_cable_answer_every_ping_the_first_one_after_arp() {
        Link link = new Link(sim, "a", "b", 50_000);
        a.plugInto(link.a());
        b.plugInto(link.b());

        PingSession s = ping("10.0.0.2", 2);

        assertThat(s.output()).isEqualTo("""
            PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.
            64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.200 ms
            64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=0.100 ms

            --- 10.0.0.2 ping statistics ---
            2 packets transmitted, 2 received, 0% packet loss, time 1000ms
            rtt min/avg/max/mdev = 0.100/0.150/0.200/0.050 ms
            """);
        assertThat(s.stats()).isEqualTo(new PingStats(2, 2, 0, 0, SECOND, new RttSummary(100, 150, 200, 50), 1));
        assertThat(sim.now()).as("ping exits on the last reply").isEqualTo(SECOND + 100_000);
    }

    @Test
    void an_address_nobody_answers_arp_for_is_reported_unreachable_by_the_pinging_host() {
        Link link = new Link(sim, "a", "nobody", 50_000);
        a.plugInto(link.a());

        PingSession s = ping("10.0.0.9", 4);

        assertThat(s.output()).isEqualTo("""
            PING 10.0.0.9 (10.0.0.9) 56(84) bytes of data.
            From 10.0.0.1 icmp_seq=1 Destination Host Unreachable
            From 10.0.0.1 icmp_seq=2 Destination Host Unreachable
            From 10.0.0.1 icmp_seq=3 Destination Host Unreachable
            From 10.0.0.1 icmp_seq=4 Destination Host Unreachable

            --- 10.0.0.9 ping statistics ---
            4 packets transmitted, 0 received, +4 errors, 100% packet loss, time 3000ms
            pipe 3
            """);
        assertThat(sim.now()).as("the 4th request started a new resolution that failed 3 s later")
            .isEqualTo(6 * SECOND);
    }

    @Test
    void replies_that_never_come_leave_plain_loss_after_ten_seconds_of_linger() {
        Link link = new Link(sim, "a", "arp-only", 50_000);
        a.plugInto(link.a());
        answerArpOnly(link.b(), MacAddress.parseBits("00:50:56:00:00:02"), Ipv4Address.parse("10.0.0.2"));

        PingSession s = ping("10.0.0.2", 2);

        assertThat(s.output()).isEqualTo("""
            PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.

            --- 10.0.0.2 ping statistics ---
            2 packets transmitted, 0 received, 100% packet loss, time 1000ms

            """);
        assertThat(sim.now()).isEqualTo(11 * SECOND);
    }

    @Test
    void a_network_that_delivers_each_request_twice_gives_dup_lines_and_the_last_duplicate_is_missed() {
        Link toA = new Link(sim, "a", "dup-a", 50_000);
        Link toB = new Link(sim, "dup-b", "b", 50_000);
        a.plugInto(toA.a());
        b.plugInto(toB.b());
        // A faulty middle box: every frame towards b goes out twice, the second copy 100 µs later.
        toA.b().attach(f -> {
            toB.a().send(f);
            sim.after(100_000, () -> toB.a().send(f));
        });
        toB.a().attach(toA.b()::send);

        PingSession s = ping("10.0.0.2", 2);

        assertThat(s.output()).isEqualTo("""
            PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.
            64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.400 ms
            64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.500 ms (DUP!)
            64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=0.200 ms

            --- 10.0.0.2 ping statistics ---
            2 packets transmitted, 2 received, +1 duplicates, 0% packet loss, time 1000ms
            rtt min/avg/max/mdev = 0.200/0.366/0.500/0.124 ms
            """);
        assertThat(s.stats().duplicates()).isEqualTo(1);
    }

    @Test
    void a_target_outside_the_subnet_has_no_route() {
        PingSession s = ping("192.168.1.1", 4);

        assertThat(s.output()).isEqualTo("ping: connect: Network is unreachable\n");
        assertThat(s.finished()).isTrue();
        assertThat(s.stats().transmitted()).isZero();
    }

    @Test
    void the_command_line_shows_count_and_a_non_default_interval() {
        assertThat(new PingSession(a, Ipv4Address.parse("10.0.0.2"), 4, SECOND, d -> { }).command())
            .isEqualTo("ping -c 4 10.0.0.2");
        assertThat(new PingSession(a, Ipv4Address.parse("10.0.0.2"), 3, SECOND / 5, d -> { }).command())
            .isEqualTo("ping -c 3 -i 0.2 10.0.0.2");
    }

    /** A stub NIC that answers ARP for {@code ip} and drops everything else. */
    private void answerArpOnly(io.vxswitch.lab.engine.Endpoint end, long mac, int ip) {
        end.attach(f -> {
            MemorySegment s = MemorySegment.ofArray(f);
            if (Ethernet.etherType(s, 0) == io.vxswitch.packet.EtherType.ARP
                && Arp.oper(s, Ethernet.HEADER_LENGTH) == Arp.REQUEST && Arp.tpa(s, Ethernet.HEADER_LENGTH) == ip) {
                byte[] reply = new byte[42];
                FrameBuilder.arpReply(MemorySegment.ofArray(reply), 0, mac, ip, Arp.sha(s, Ethernet.HEADER_LENGTH),
                    Arp.spa(s, Ethernet.HEADER_LENGTH));
                end.send(reply);
            }
        });
    }
}
