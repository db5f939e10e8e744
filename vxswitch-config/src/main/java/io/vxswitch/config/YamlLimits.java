package io.vxswitch.config;

import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

import java.util.Optional;

/**
 * What a YAML text may make the reader do, so that no config file or API request body can exhaust the stack or the
 * heap: snakeyaml-engine composes nested collections by recursion and has no depth limit of its own (5,000 {@code [}
 * overflowed the stack), an alias inside the collection it names makes {@link YamlValue#of} recurse for ever, and 50
 * aliases of aliases expand to 2^50 values. A config nests five or six levels and has no aliases to speak of.
 * Found by fuzzing (docs/reliability.md).
 */
final class YamlLimits {
    static final int MAX_DEPTH = 64;
    static final int MAX_VALUES = 100_000;

    private YamlLimits() {
    }

    /**
     * The events of {@code parser} (which keeps its own stack, it does not recurse) as the composer takes them,
     * refusing a collection that opens deeper than {@link #MAX_DEPTH}: the composer takes a collection's start event
     * before it recurses into the collection, so it never goes deeper. One pass over the text: reading it once to check
     * and again to compose made parsing a config take twice as long (most of the config fuzz targets' time).
     */
    static Parser depthLimited(Parser parser, String source) {
        return new Parser() {
            private int depth;

            @Override
            public boolean checkEvent(Event.ID id) {
                return parser.checkEvent(id);
            }

            @Override
            public Event peekEvent() {
                return parser.peekEvent();
            }

            @Override
            public boolean hasNext() {
                return parser.hasNext();
            }

            @Override
            public Event next() {
                Event e = parser.next();
                if (e instanceof CollectionStartEvent && ++depth > MAX_DEPTH) {
                    throw where(e.getStartMark(), source).error(tooDeep());
                } else if (e instanceof CollectionEndEvent) {
                    depth--;
                }
                return e;
            }
        };
    }

    static String tooDeep() {
        return "nested deeper than " + MAX_DEPTH + " levels (or an alias inside what it names): a config needs a few";
    }

    static String tooMany() {
        return "aliases expand to more than " + MAX_VALUES + " values";
    }

    private static Where where(Optional<Mark> mark, String source) {
        return mark.map(m -> new Where(source, m.getLine() + 1, m.getColumn() + 1)).orElse(new Where(source, 0, 0));
    }
}
