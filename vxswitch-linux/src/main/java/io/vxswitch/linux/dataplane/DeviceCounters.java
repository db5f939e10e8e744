package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.DeviceCounter;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.counters.CounterRegistry;
import io.vxswitch.forwarding.mirror.ErspanCounter;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The port devices' counts in the switch's counter registry: each device, while the dataplane has it, is a poll of
 * its {@link DeviceCounter}s under its port's name, so a port's several devices (one per loop) read as their sum,
 * beside the switch's own counters of the port.
 *
 * <p>A poll, not a set of rows of its own: a device's counts are kept by the parts that count them (its transmit
 * queue, its software offload, its socket's {@link io.vxswitch.linux.IoCounters}), each written by the one thread
 * that owns that part, and only some of them make one {@link DeviceCounter} (refused = too large + refused by the
 * kernel + could not be cut); the device adds them up when read.
 */
final class DeviceCounters {
    private static final List<DeviceCounter> ALL = List.of(DeviceCounter.values());

    private final Switch sw;
    private final Map<PortDevice, CounterRegistry.Registration> registered = new IdentityHashMap<>();
    private final Map<String, CounterRegistry.Registration> erspan = new java.util.HashMap<>();

    DeviceCounters(Switch sw) {
        this.sw = sw;
    }

    /** From now on the registry reads {@code device}'s counts as its port's; the port must be in the switch. */
    void register(PortDevice device) {
        Port p = sw.port(device.switchPort());
        if (p == null) {
            throw new IllegalArgumentException("device " + device.describe() + " serves no port of switch '"
                + sw.name() + "' (add the port to the switch first)");
        }
        registered.put(device, sw.counters().poll(ALL, p.counterInstance(), () -> values(device)));
    }

    /** From now on the registry reads the senders' counts, added up, as ERSPAN session {@code mirror}'s. */
    void registerErspan(io.vxswitch.forwarding.Mirror mirror, List<ErspanSender> senders) {
        List<ErspanSender> all = List.copyOf(senders);
        erspan.put(mirror.name(), sw.counters().poll(List.of(ErspanCounter.values()), mirror.counterInstance(), () -> {
            long[] sum = new long[ErspanCounter.values().length];
            for (ErspanSender s : all) {
                long[] c = s.counts();
                for (int k = 0; k < sum.length; k++) {
                    sum[k] += c[k];
                }
            }
            return sum;
        }));
    }

    /** The session's senders are gone: their counts leave the registry. */
    void unregisterErspan(String session) {
        CounterRegistry.Registration r = erspan.remove(session);
        if (r != null) {
            r.close();
        }
    }

    /** The device is gone: its counts leave the registry (and its port's totals) with it. */
    void unregister(PortDevice device) {
        CounterRegistry.Registration r = registered.remove(device);
        if (r != null) {
            r.close();
        }
    }

    /** The device's counts, in {@link DeviceCounter} order. */
    static long[] values(PortDevice d) {
        long[] out = new long[ALL.size()];
        for (DeviceCounter c : ALL) {
            out[c.ordinal()] = switch (c) {
                case TX_QUEUE_FULL -> d.txQueueFull();
                case TX_REFUSED -> d.txRefused();
                case RX_REFUSED -> d.rxRefused();
                case GSO_SUPER_FRAMES -> d.superFramesCut();
                case GSO_SEGMENTS -> d.segmentsFromCuts();
                case GRO_SUPER_FRAMES -> d.superFramesCoalesced();
                case GRO_SEGMENTS -> d.segmentsCoalesced();
                case GUEST_RING_ERRORS -> d.guestRingErrors();
            };
        }
        return out;
    }
}
