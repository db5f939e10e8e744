package io.vxswitch.mgmt;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.stream.Collectors;

/**
 * A request body Jackson could not read, said in the API's terms. Jackson's own messages name Java types
 * ({@code Unrecognized field "x" (class io.vxswitch.mgmt.SwitchRoutes$FloodPeer)}, {@code `java.lang.Integer`}),
 * which mean nothing to whoever sent the JSON.
 */
final class JsonErrors {
    private JsonErrors() {
    }

    static String describe(JsonProcessingException e) {
        return switch (e) {
            case UnrecognizedPropertyException u -> "unknown field '" + u.getPropertyName() + "' (fields: "
                + u.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "))
                + ")";
            case MismatchedInputException m when m.getTargetType() != null && !m.getPath().isEmpty() ->
                "'" + path(m) + "' must be " + kind(m.getTargetType()) + where(m.getLocation());
            case MismatchedInputException m when m.getTargetType() != null ->
                "the body must be a JSON object" + where(m.getLocation());
            case JsonParseException p -> "not valid JSON" + where(p.getLocation()) + ": "
                + String.valueOf(p.getOriginalMessage()).replaceAll("\\s*\\(code \\d+\\)", "");
            default -> "the body is not the JSON this route takes" + where(e.getLocation());
        };
    }

    private static String path(JsonMappingException m) {
        return m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining("."));
    }

    private static String kind(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
            || type == Short.class || type == short.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        return type.isArray() || java.util.Collection.class.isAssignableFrom(type) ? "a list" : "an object";
    }

    private static String where(JsonLocation at) {
        return at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
}
