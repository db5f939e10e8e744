package io.vxswitch.config;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML node with its position, so every error can point at the text that caused it. Built from
 * snakeyaml-engine's composed node tree; scalars stay strings until the parser knows what they mean.
 */
public sealed interface YamlValue permits YamlValue.Scalar, YamlValue.YamlList, YamlValue.YamlMap {
    Where where();

    /** What this node is, for messages: "a mapping", "a list", "'text'". */
    String describe();

    /**
     * The tree of values under {@code node}, aliases expanded, within {@link YamlLimits}: an alias inside what it names,
     * or aliases expanding beyond {@link YamlLimits#MAX_VALUES} values, are errors at their position.
     */
    static YamlValue of(Node node, String source) {
        return of(node, source, 0, new int[1]);
    }

    private static YamlValue of(Node node, String source, int depth, int[] made) {
        Where where = where(node.getStartMark(), source);
        if (depth > YamlLimits.MAX_DEPTH) {
            throw where.error(YamlLimits.tooDeep());
        }
        if (++made[0] > YamlLimits.MAX_VALUES) {
            throw where.error(YamlLimits.tooMany());
        }
        return switch (node) {
            case ScalarNode s -> new Scalar(s.getTag() == Tag.NULL ? null : s.getValue(), where);
            case SequenceNode q -> {
                List<YamlValue> items = new ArrayList<>();
                for (Node n : q.getValue()) {
                    items.add(of(n, source, depth + 1, made));
                }
                yield new YamlList(items, where);
            }
            case MappingNode m -> {
                Map<String, YamlValue> values = new LinkedHashMap<>();
                Map<String, Where> keys = new LinkedHashMap<>();
                for (NodeTuple t : m.getValue()) {
                    Where keyWhere = where(t.getKeyNode().getStartMark(), source);
                    if (!(t.getKeyNode() instanceof ScalarNode k)) {
                        throw keyWhere.error("a mapping key must be a plain word, not a list or mapping");
                    }
                    if (values.containsKey(k.getValue())) {
                        throw keyWhere.error("key '" + k.getValue() + "' appears twice (first at line "
                            + keys.get(k.getValue()).line() + ")");
                    }
                    values.put(k.getValue(), of(t.getValueNode(), source, depth + 1, made));
                    keys.put(k.getValue(), keyWhere);
                }
                yield new YamlMap(values, keys, where);
            }
            default -> throw where.error("unsupported YAML node " + node.getNodeType());
        };
    }

    private static Where where(Optional<Mark> mark, String source) {
        return mark.map(m -> new Where(source, m.getLine() + 1, m.getColumn() + 1)).orElse(new Where(source, 0, 0));
    }

    /** A scalar; {@code text} is null for an empty value ({@code key:} with nothing after it). */
    record Scalar(String text, Where where) implements YamlValue {
        @Override
        public String describe() {
            return text == null ? "nothing" : "'" + text + "'";
        }
    }

    record YamlList(List<YamlValue> items, Where where) implements YamlValue {
        @Override
        public String describe() {
            return "a list";
        }
    }

    record YamlMap(Map<String, YamlValue> values, Map<String, Where> keys, Where where) implements YamlValue {
        @Override
        public String describe() {
            return "a mapping";
        }

        public Optional<YamlValue> get(String key) {
            return Optional.ofNullable(values.get(key));
        }

        public YamlValue require(String key, String context) {
            YamlValue v = values.get(key);
            if (v == null) {
                throw where.error(context + ": missing '" + key + "'");
            }
            return v;
        }

        /** Rejects keys outside {@code allowed}, pointing at the first unknown one. */
        public void allowOnly(String context, List<String> allowed) {
            for (Map.Entry<String, Where> k : keys.entrySet()) {
                if (!allowed.contains(k.getKey())) {
                    throw k.getValue().error(context + ": unknown key '" + k.getKey() + "' (expected "
                        + String.join(", ", allowed) + ")");
                }
            }
        }
    }
}
