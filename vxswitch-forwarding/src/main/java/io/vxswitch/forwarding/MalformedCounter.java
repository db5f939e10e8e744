package io.vxswitch.forwarding;

import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.packet.Malformation;

import java.util.Arrays;
import java.util.List;

/**
 * The counter of malformed frames of one kind ({@link Malformation}, which the packet module names without knowing
 * counters). Shown by the API and the CLI as {@code malformed:KIND}; Prometheus has their sum only, as the
 * {@code malformed} reason of the port's drops ({@link DropReason#MALFORMED}).
 */
public final class MalformedCounter implements CounterDescriptor {
    /** One per kind of malformation, {@link Malformation#NONE} left out, in the enum's order. */
    public static final List<MalformedCounter> ALL = Arrays.stream(Malformation.values())
        .filter(m -> m != Malformation.NONE).map(MalformedCounter::new).toList();

    private final Malformation malformation;

    private MalformedCounter(Malformation malformation) {
        this.malformation = malformation;
    }

    public Malformation malformation() {
        return malformation;
    }

    /** The descriptor of {@code m}: there is one per kind (counter sets look descriptors up by identity). */
    public static MalformedCounter of(Malformation m) {
        return ALL.get(m.ordinal() - 1);
    }

    @Override
    public String key() {
        return "malformed:" + malformation.counterName();
    }

    @Override
    public String description() {
        return "malformed frames: " + malformation.description();
    }

    @Override
    public CounterScope scope() {
        return CounterScope.PORT;
    }

    @Override
    public CounterKind kind() {
        return CounterKind.DROP;
    }
}
