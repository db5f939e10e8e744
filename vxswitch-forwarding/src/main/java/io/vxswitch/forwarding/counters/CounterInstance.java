package io.vxswitch.forwarding.counters;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One thing counters count per: a port, a tunnel, a remote VTEP of a tunnel, the switch. Two sets registered for
 * the same instance (a port's forwarding counters and each of its devices') are read as one: the counts add up.
 *
 * @param name   what names it within its scope (the port's name; "tunnel remote" for a remote VTEP)
 * @param labels the scope's labels ({@link CounterScope#labels}) with their values, in that order
 */
public record CounterInstance(CounterScope scope, String name, Map<String, String> labels) {
    /** The switch as a whole. */
    public static final CounterInstance SWITCH = new CounterInstance(CounterScope.SWITCH, "", Map.of());

    public CounterInstance {
        Objects.requireNonNull(scope);
        Objects.requireNonNull(name);
        if (!labels.keySet().equals(new java.util.HashSet<>(scope.labels()))) {
            throw new IllegalArgumentException(scope + " instances are labelled " + scope.labels() + ", got "
                + labels.keySet());
        }
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /** An instance named by its scope's labels' values, in {@link CounterScope#labels} order; the first names it. */
    public static CounterInstance of(CounterScope scope, String... values) {
        if (values.length != scope.labels().size() || values.length == 0) {
            throw new IllegalArgumentException(scope + " instances are labelled " + scope.labels());
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            labels.put(scope.labels().get(i), Objects.requireNonNull(values[i]));
        }
        String name = scope == CounterScope.REMOTE_VTEP || scope == CounterScope.LAG_MEMBER ? values[0] + " " + values[1]
            : values[0];
        return new CounterInstance(scope, name, labels);
    }

    public static CounterInstance port(String name, String kind) {
        return of(CounterScope.PORT, name, kind);
    }

    public static CounterInstance tunnel(String name) {
        return of(CounterScope.TUNNEL, name);
    }

    public static CounterInstance lagMember(String lag, String member) {
        return of(CounterScope.LAG_MEMBER, lag, member);
    }

    public static CounterInstance mirror(String session) {
        return of(CounterScope.MIRROR, session);
    }

    public static CounterInstance remoteVtep(String tunnel, String remote) {
        return of(CounterScope.REMOTE_VTEP, tunnel, remote);
    }
}
