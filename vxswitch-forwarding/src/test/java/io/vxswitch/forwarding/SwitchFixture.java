package io.vxswitch.forwarding;

import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.trace.Trace;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A VDS host switch shaped like the seed's ESXi host: two uplinks, port group vlan119 with vNICs,
 * a port group for the nested hypervisor whose policy each test chooses, and VLAN 120 next door.
 * Port ids: uplink1=0, uplink2=1, vm1=2 (pinned to uplink1), vm2=3 (uplink2), nested=4 (uplink1), vm120=5 (uplink2).
 */
final class SwitchFixture {
    static final long VM1 = 0x005056000001L;
    static final long VM2 = 0x005056000002L;
    static final long NESTED = 0x005056000009L;
    static final long VM120 = 0x005056000120L;
    static final long VM3 = 0x525400000003L;
    static final long VM4 = 0x525400000004L;
    static final long OUTSIDE = 0x00aabb000010L;
    static final long SECOND = 1_000_000_000L;

    final Switch sw;
    final ForwardingDecision d;
    long now = SECOND;

    SwitchFixture(SecurityPolicy nestedSecurity, MacLearningPolicy nestedLearning, boolean rpfPromisc) {
        sw = new Switch(SwitchOptions.defaults("esxi").withReversePathCheckPromisc(rpfPromisc).withMaxPorts(16));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("uplinks", VlanPolicy.trunkAll()));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan119", VlanPolicy.access(119)));
        sw.addPortGroup(new PortGroupPolicy("nested", VlanPolicy.access(119), nestedSecurity, nestedLearning));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan120", VlanPolicy.access(120)));
        sw.addUplink("uplink1", "uplinks");
        sw.addUplink("uplink2", "uplinks");
        sw.addVnicPort("vm1", "vlan119", VM1);
        sw.addVnicPort("vm2", "vlan119", VM2);
        sw.addVnicPort("nested", "nested", NESTED);
        sw.addVnicPort("vm120", "vlan120", VM120);
        d = sw.newDecision();
    }

    static SwitchFixture vdsDefaults() {
        return new SwitchFixture(SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.DISABLED, false);
    }

    static SwitchFixture learning() {
        return new SwitchFixture(SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true), MacLearningPolicy.ENABLED, false);
    }

    static SwitchFixture promiscuous(boolean rpfPromisc) {
        return new SwitchFixture(new SecurityPolicy(true, false, true), MacLearningPolicy.DISABLED, rpfPromisc);
    }

    ForwardingDecision send(String port, MemorySegment frame) {
        sw.forward(sw.port(port).id(), frame, 0, (int) frame.byteSize(), now, d);
        return d;
    }

    Trace trace(String port, MemorySegment frame) {
        Trace t = new Trace();
        sw.forward(sw.port(port).id(), frame, 0, (int) frame.byteSize(), now, d, t);
        return t;
    }

    Trace probe(String port, MemorySegment frame) {
        Trace t = Trace.probe();
        sw.forward(sw.port(port).id(), frame, 0, (int) frame.byteSize(), now, d, t);
        return t;
    }

    /** Names of the egress ports of the last decision, in decision order. */
    List<String> egress() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < d.egressCount(); i++) {
            out.add(sw.port(d.egressPort(i)).name());
        }
        return out;
    }

    long drops(String port, DropReason reason) {
        return sw.port(port).counters().get(reason);
    }
}
