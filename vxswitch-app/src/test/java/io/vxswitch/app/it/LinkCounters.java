package io.vxswitch.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * The kernel's counters of one link ({@code ip -s -j link show DEV}): what a VM's NIC handed to the switch and got
 * from it, counted outside vxswitch. On a tap seen from the VM, tx is what the VM sent into the switch (tx dropped:
 * what the tap's queue could not hold while the switch did not read) and rx what the switch wrote to it.
 */
record LinkCounters(long rxPackets, long rxDropped, long txPackets, long txDropped) {
    static LinkCounters of(Netns ns, String dev) {
        String json = ns.exec("ip", "-s", "-j", "link", "show", "dev", dev);
        try {
            JsonNode s = new ObjectMapper().readTree(json).get(0).path("stats64");
            return new LinkCounters(s.path("rx").path("packets").asLong(), s.path("rx").path("dropped").asLong(),
                s.path("tx").path("packets").asLong(), s.path("tx").path("dropped").asLong());
        } catch (IOException | NullPointerException e) {
            throw new AssertionError("cannot read the counters of " + dev + " in " + ns + ":\n" + json, e);
        }
    }

    /** What was counted since {@code before}. */
    LinkCounters since(LinkCounters before) {
        return new LinkCounters(rxPackets - before.rxPackets, rxDropped - before.rxDropped,
            txPackets - before.txPackets, txDropped - before.txDropped);
    }
}
