package io.vxswitch.ipfix;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.flow.FlowObserver;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.packet.FrameBuilder;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exporter end to end in memory: frames forwarded by a switch, observed by its lane, drained, cached, expired
 * and sent as IPFIX messages to a channel that keeps them; the clock is the test's.
 */
class FlowExporterTest {
    private static final long S = 1_000_000_000L;
    private static final long VM1 = 0x020000000001L;
    private static final long VM2 = 0x020000000002L;
    private static final long WALL = 1_700_000_000_000L;

    private final Switch sw = new Switch(SwitchOptions.defaults("ipfix").withMaxPorts(8));
    private final ForwardingDecision d;
    private final List<ByteBuffer> sent = new ArrayList<>();
    private long now = 1000 * S;

    FlowExporterTest() {
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan10", VlanPolicy.access(10)));
        sw.addVnicPort("vm1", "vlan10", VM1);
        sw.addVnicPort("vm2", "vlan10", VM2);
        d = sw.newDecision();
    }

    private FlowExporter exporter(int sampling, long templateRefresh) {
        IpfixOptions o = new IpfixOptions(List.of(new InetSocketAddress("192.0.2.2", 4739)), 77, sampling,
            60 * S, 15 * S, 1024, templateRefresh);
        FlowObserver[] observers = sw.observeFlows(sampling, 1 << 16);
        MessageChannel channel = new MessageChannel() {
            @Override
            public int send(ByteBuffer message) {
                ByteBuffer copy = ByteBuffer.allocate(message.remaining());
                copy.put(message.duplicate()).flip();
                sent.add(copy);
                return 0;
            }

            @Override
            public void close() {
            }
        };
        return new FlowExporter(o, observers, channel, vlan -> -1, () -> now, WALL, 42);
    }

    private void udp(int srcPort, int count) {
        MemorySegment s = MemorySegment.ofArray(new byte[128]);
        int length = FrameBuilder.udp(s, 0, VM1, VM2, 0xc0000201, 0xc0000202, srcPort, 53,
            MemorySegment.ofArray(new byte[20]));
        for (int i = 0; i < count; i++) {
            sw.forward(sw.port("vm1").id(), s, 0, length, now, d);
        }
    }

    /** The data sets of a message: set id, then each record's bytes. */
    private static List<Integer> setIds(ByteBuffer m) {
        List<Integer> ids = new ArrayList<>();
        for (int at = 16; at < m.limit(); at += m.getShort(at + 2) & 0xFFFF) {
            ids.add(m.getShort(at) & 0xFFFF);
        }
        return ids;
    }

    @Test
    void a_flow_idle_for_the_timeout_reaches_the_collector_with_its_counts_after_the_templates() {
        FlowExporter x = exporter(1, 600 * S);
        udp(40000, 3);
        now += S;
        udp(40000, 2);
        x.doWork();
        assertThat(sent).as("before the idle timeout only the templates and the sampling report").hasSize(1);
        assertThat(setIds(sent.getFirst())).containsExactly(2, 3, 3, 262, 263);
        now += 15 * S;
        x.doWork();
        assertThat(sent).hasSize(2);
        ByteBuffer m = sent.get(1);
        assertThat(m.getShort(0)).isEqualTo((short) 10);
        assertThat(m.getInt(4)).as("export time, s").isEqualTo((int) ((WALL + 16_000) / 1000));
        assertThat(m.getInt(8)).as("sequence: the sampling report's two records before").isEqualTo(2);
        assertThat(m.getInt(12)).as("observation domain").isEqualTo(77);
        assertThat(setIds(m)).containsExactly(258);
        int r = 20; // the record: MACs, VLAN, IPv4 addresses, protocol, ports, interfaces, counts, times, reason
        assertThat(m.getShort(r + 12)).as("vlan").isEqualTo((short) 10);
        assertThat(m.getShort(r + 23) & 0xFFFF).as("source port").isEqualTo(40000);
        assertThat(m.getInt(r + 27)).as("ingressInterface: vm1 is port 0").isEqualTo(1);
        assertThat(m.getInt(r + 31)).as("egressInterface: vm2").isEqualTo(2);
        assertThat(m.getLong(r + 35)).as("packets").isEqualTo(5);
        assertThat(m.getLong(r + 43)).as("frame bytes").isEqualTo(5 * (14 + 20 + 8 + 20));
        assertThat(m.getLong(r + 51)).as("IP bytes").isEqualTo(5 * (20 + 8 + 20));
        assertThat(m.getLong(r + 59)).as("start").isEqualTo(WALL);
        assertThat(m.getLong(r + 67)).as("end").isEqualTo(WALL + 1000);
        assertThat(m.get(r + 75)).as("idle timeout").isEqualTo((byte) 1);
        assertThat(x.status().records()).isEqualTo(1);
        assertThat(x.status().observed()).isEqualTo(5);
    }

    @Test
    void the_sequence_number_counts_data_records_sent_before_and_templates_come_again_after_the_refresh() {
        FlowExporter x = exporter(1, 30 * S);
        udp(1, 1);
        udp(2, 1);
        now += 16 * S;
        x.doWork();
        assertThat(sent).hasSize(1);
        assertThat(setIds(sent.getFirst())).containsExactly(2, 3, 3, 262, 263, 258);
        udp(3, 1);
        now += 16 * S;
        x.doWork();
        assertThat(sent.get(1).getInt(8)).as("2 options records and 2 flows before").isEqualTo(4);
        assertThat(setIds(sent.get(1))).as("16 s since the templates").containsExactly(258);
        udp(4, 1);
        now += 16 * S;
        x.doWork();
        assertThat(sent.get(2).getInt(8)).isEqualTo(5);
        assertThat(setIds(sent.get(2))).as("32 s since the templates: again, with the report")
            .containsExactly(2, 3, 3, 262, 263, 258);
        assertThat(x.status().records()).as("flow records only").isEqualTo(4);
        assertThat(x.status().templates()).isEqualTo(2);
        assertThat(x.status().messages()).isEqualTo(3);
    }

    /** Field counts of every (options) template record in {@code m}'s template and options template sets. */
    private static List<Integer> templateFieldCounts(ByteBuffer m) {
        List<Integer> counts = new ArrayList<>();
        for (int at = 16; at < m.limit(); at += m.getShort(at + 2) & 0xFFFF) {
            int set = m.getShort(at) & 0xFFFF;
            int end = at + (m.getShort(at + 2) & 0xFFFF);
            for (int r = at + 4; (set == 2 || set == 3) && r < end; ) {
                int fields = m.getShort(r + 2) & 0xFFFF;
                counts.add(fields);
                r += (set == 2 ? 4 : 6) + 4 * fields; // IANA elements only: no enterprise numbers
            }
        }
        return counts;
    }

    @Test
    void after_a_reload_the_new_exporter_announces_templates_and_sampling_at_once_and_nothing_is_ever_withdrawn() {
        FlowExporter old = exporter(2, 30 * S);
        udp(1, 4);
        run(old, 31);
        old.onClose(); // a reload: the old exporter sends what it held, then the new one starts
        int first = sent.size();
        FlowExporter next = exporter(4, 30 * S);
        udp(2, 4);
        run(next, 1);
        assertThat(setIds(sent.get(first))).as("the new exporter's first message").startsWith(2, 3, 3, 262, 263);
        int report = 16 + IpfixMessageWriter.templateSetLength() + 26 + 18 + 22;
        assertThat(sent.get(first).getInt(report + 8)).as("samplingInterval, the new one").isEqualTo(4);
        assertThat(sent.get(first).getInt(8)).as("a new session: sequence from 0").isZero();
        for (ByteBuffer m : sent) {
            assertThat(templateFieldCounts(m)).as("no template withdrawal (field count 0, RFC 7011 §8.1)")
                .doesNotContain(0);
        }
        assertThat(sent.stream().filter(m -> setIds(m).contains(2)).count())
            .as("templates: old exporter at start and after its 30 s refresh, new one at start").isEqualTo(3);
    }

    /** Turns of {@code exporter} over {@code seconds} seconds of the test's clock, ten a second. */
    private void run(FlowExporter exporter, int seconds) {
        for (int i = 0; i < seconds * 10; i++) {
            now += S / 10;
            exporter.doWork();
        }
    }

    @Test
    void closing_the_exporter_sends_every_flow_it_holds_as_a_forced_end() {
        FlowExporter x = exporter(1, 600 * S);
        udp(1, 4);
        x.onClose();
        ByteBuffer last = sent.getLast();
        assertThat(setIds(last)).endsWith(258);
        assertThat(last.getLong(last.limit() - 1 - 8 - 8 - 8 - 8 - 8)).as("packets").isEqualTo(4);
        assertThat(last.get(last.limit() - 1)).as("forced end").isEqualTo((byte) 4);
    }

    @Test
    void with_sampling_one_in_n_the_flow_counts_the_sampled_frames() {
        FlowExporter x = exporter(10, 600 * S);
        udp(1, 95);
        x.onClose();
        ByteBuffer last = sent.getLast();
        assertThat(last.getLong(last.limit() - 1 - 8 * 5)).isEqualTo(9);
        assertThat(x.status().observed()).isEqualTo(9);
        ByteBuffer first = sent.getFirst();
        int report = 16 + IpfixMessageWriter.templateSetLength() + 26 + 18; // the options records
        assertThat(first.getShort(report)).isEqualTo((short) 262);
        assertThat(first.getInt(report + 4 + 8 + 2)).as("samplingPacketInterval").isEqualTo(1);
        assertThat(first.getInt(report + 4 + 8 + 2 + 4)).as("samplingPacketSpace").isEqualTo(9);
        assertThat(first.getShort(report + 22)).isEqualTo((short) 263);
        assertThat(first.getInt(report + 22 + 4)).as("observationDomainId").isEqualTo(77);
        assertThat(first.getInt(report + 22 + 8)).as("samplingInterval").isEqualTo(10);
    }
}
