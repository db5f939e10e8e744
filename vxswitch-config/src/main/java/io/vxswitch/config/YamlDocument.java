package io.vxswitch.config;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a YAML file into a {@link YamlValue} tree; YAML syntax errors come back with their position. */
public final class YamlDocument {
    private YamlDocument() {
    }

    /**
     * @param whatWasExpected said when the file is empty, e.g. "a topology with hosts, links and pings"
     * @throws ConfigException for a missing file or invalid YAML
     */
    public static YamlValue read(Path file, String whatWasExpected) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(new Where(file.toString(), 0, 0), "no such file");
        }
        return parse(file.toString(), text, whatWasExpected);
    }

    /** Parses YAML text; {@code source} names it in errors. */
    public static YamlValue parse(String source, String text, String whatWasExpected) {
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(source).build();
            Optional<Node> node = new Composer(settings, YamlLimits.depthLimited(
                new ParserImpl(settings, new StreamReader(settings, new StringReader(text))), source)).getSingleNode();
            if (node.isEmpty()) {
                throw new Where(source, 1, 1).error("the file is empty: expected " + whatWasExpected);
            }
            return YamlValue.of(node.get(), source);
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
            Where where = mark == null ? new Where(source, 0, 0) : new Where(source, mark.getLine() + 1,
                mark.getColumn() + 1);
            throw where.error("not valid YAML: " + (e.getContext() == null ? "" : e.getContext() + ", ")
                + e.getProblem());
        } catch (YamlEngineException e) {
            throw new Where(source, 0, 0).error("not valid YAML: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // snakeyaml-engine's own checks of a node's tag (a tag like "!%04" decodes to spaces) throw this, unmarked
            throw new Where(source, 0, 0).error("not valid YAML: " + e.getMessage());
        }
    }
}
