package io.vxswitch.app.daemon;

import io.vxswitch.forwarding.DeviceCounter;
import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.counters.CounterSet;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SwitchReportTest {
    @Test
    void a_ports_line_adds_its_lanes_and_its_devices_drops_after_the_switchs() {
        long vm1 = MacAddress.parseBits("00:50:56:00:00:01");
        Switch sw = new Switch(SwitchOptions.defaults("esxi").withMaxPorts(8).withLanes(2));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan119", VlanPolicy.access(119)));
        sw.addVnicPort("vm1", "vlan119", vm1);
        sw.addVnicPort("vm2", "vlan119", MacAddress.parseBits("00:50:56:00:00:02"));
        MemorySegment f = MemorySegment.ofArray(new byte[128]);
        int n = FrameBuilder.icmpEcho(f, 0, MacAddress.parseBits("52:54:00:00:00:03"), vm1, 1, 2, true, 1, 1);
        ForwardingDecision d = sw.newDecision();
        sw.lane(0).forward(sw.port("vm1").id(), f, 0, n, 0, d); // forged transmits: rejected
        sw.lane(1).forward(sw.port("vm1").id(), f, 0, n, 0, d);
        for (int loop = 0; loop < 2; loop++) { // a device per loop, as the dataplane registers them
            CounterSet device = CounterSet.single(List.of(DeviceCounter.values()));
            sw.counters().register(device, sw.port("vm1").counterInstance());
            device.writer(0).add(device.slot(DeviceCounter.TX_QUEUE_FULL), 2);
        }

        assertThat(SwitchReport.render(sw, 0)).contains(
            "vm1                   2          196          0            0  forged_transmit=2, tx_queue_full=4\n",
            "vm2                   0            0          0            0  -\n");
    }
}
