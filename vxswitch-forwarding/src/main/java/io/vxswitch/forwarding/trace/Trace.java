package io.vxswitch.forwarding.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * The step-by-step story of one forwarding decision, in the spirit of {@code ovs-appctl ofproto/trace}.
 * The switch fills it only when a trace is passed in (through a {@link TraceText} that the pipeline reports to); the
 * normal data path passes {@code null} and builds no strings. Others on a frame's way (a VTEP) may add steps too.
 */
public final class Trace {
    /** One step: the pipeline stage and what happened there. */
    public record Step(Stage stage, String detail) {
    }

    /** Pipeline stages in the order a frame meets them. */
    public enum Stage {
        FRAME, PARSE, INGRESS, SECURITY, LEARNING, LOOKUP, FLOOD, EGRESS, RESULT;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final List<Step> steps = new ArrayList<>();
    private final boolean probe;

    /** A trace of a frame that really goes through the switch (learns, counts, is sent). */
    public Trace() {
        this(false);
    }

    private Trace(boolean probe) {
        this.probe = probe;
    }

    /**
     * A trace of a made-up frame, as {@code ofproto/trace} runs one: the decision is worked out and told, but the
     * switch learns nothing, counts nothing and sends nothing.
     */
    public static Trace probe() {
        return new Trace(true);
    }

    /** True for {@link #probe}: the switch must leave its FDB and counters as they are. */
    public boolean isProbe() {
        return probe;
    }

    public void add(Stage stage, String detail) {
        steps.add(new Step(stage, detail));
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    public void clear() {
        steps.clear();
    }

    /** Numbered lines, one per step, e.g. {@code  3. learning  00:50:56:... learned on port nested}. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        int n = 1;
        for (Step s : steps) {
            sb.append(String.format("%2d. %-9s %s%n", n++, s.stage().label(), s.detail()));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
