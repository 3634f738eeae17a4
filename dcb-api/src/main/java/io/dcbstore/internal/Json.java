package io.dcbstore.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.dcbstore.JsonLimits;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON parsing and canonical forms shared by the API and the engines. Not part of the API.
 *
 * <p>Numbers are parsed as {@link BigDecimal} so that {@code 1}, {@code 1.0} and {@code 1e0} have
 * one canonical form, as they are equal under PostgreSQL's {@code jsonb} containment.
 */
public final class Json {
    /**
     * The one mapper, configured once and thread-safe; package-private so that nothing outside can
     * reconfigure it (an {@link ObjectMapper} is mutable). Other modules go through the methods below.
     */
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
                    // Jackson's own defaults (1,000 levels, numbers of 1,000 characters, keys of 50,000,
                    // strings of 20M) refuse documents PostgreSQL stores: its ceilings are PostgreSQL's,
                    // and the limits a store chooses are checked in scanObject, with messages naming them.
                    .streamReadConstraints(StreamReadConstraints.builder()
                            // One above: a document just over a limit gets scanObject's message naming it.
                            .maxNestingDepth(JsonLimits.POSTGRESQL.maxNestingDepth() + 1)
                            .maxNumberLength(JsonLimits.POSTGRESQL.maxNumberLength() + 1)
                            .maxNameLength(JsonLimits.POSTGRESQL.maxKeyLength() + 1)
                            .maxStringLength(Integer.MAX_VALUE)
                            .maxDocumentLength(-1)
                            .build())
                    .streamWriteConstraints(StreamWriteConstraints.builder()
                            .maxNestingDepth(JsonLimits.POSTGRESQL.maxNestingDepth() + 1)
                            .build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private Json() {}

    /**
     * Checks in one streaming pass, without building a tree, that text is one JSON object with no
     * NUL character in any key or string, and collects the canonical {@code key NUL value} of its
     * top-level scalar fields (as {@link #canonicalScalar} forms them).
     *
     * @param what names the input in error messages (for example {@code payload})
     * @param text the JSON text
     * @param collectScalars whether to collect the top-level scalar fields
     * @return the top-level scalar fields (empty when not collected)
     * @throws IllegalArgumentException with a sentence naming the problem
     */
    public static List<String> scanObject(String what, String text, boolean collectScalars) {
        return scanObject(what, text, collectScalars, JsonLimits.POSTGRESQL);
    }

    /**
     * {@link #scanObject(String, String, boolean)} under a store's limits on the document's shape.
     *
     * @param what names the input in error messages (for example {@code payload})
     * @param text the JSON text
     * @param collectScalars whether to collect the top-level scalar fields
     * @param limits the limits; a document over one is refused with a message naming it
     * @return the top-level scalar fields (empty when not collected)
     * @throws IllegalArgumentException with a sentence naming the problem
     */
    public static List<String> scanObject(String what, String text, boolean collectScalars, JsonLimits limits) {
        if (text == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        List<String> scalars = collectScalars ? new ArrayList<>() : List.of();
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(what + " must be a JSON object, got " + kind(first));
            }
            int depth = 1;
            String topLevelKey = null;
            while (depth > 0) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    throw new IllegalArgumentException(what + " is not valid JSON: unexpected end of input");
                }
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        depth++;
                        if (depth > limits.maxNestingDepth()) {
                            throw new IllegalArgumentException(what + " nests deeper than " + limits.maxNestingDepth()
                                    + " levels, the JSON limit maxNestingDepth");
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> {
                        checkNoNul(what, parser.currentName(), "a key");
                        if (parser.currentName().length() > limits.maxKeyLength()) {
                            throw new IllegalArgumentException(what + " has a key of "
                                    + parser.currentName().length()
                                    + " characters, over the JSON limit maxKeyLength of " + limits.maxKeyLength());
                        }
                        if (depth == 1) {
                            topLevelKey = parser.currentName();
                        }
                    }
                    case VALUE_STRING -> {
                        checkNoNul(what, parser.getText(), "a string value");
                        if (depth == 1 && collectScalars) {
                            scalars.add(topLevelKey + "\u0000s" + parser.getText());
                        }
                    }
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                        if (parser.getTextLength() > limits.maxNumberLength()) {
                            throw new IllegalArgumentException(what + " has a number of " + parser.getTextLength()
                                    + " characters, over the JSON limit maxNumberLength of "
                                    + limits.maxNumberLength());
                        }
                        BigDecimal number = JsonNumbers.read(what, parser);
                        if (depth == 1 && collectScalars) {
                            scalars.add(topLevelKey + "\u0000n" + JsonNumbers.canonicalIn(what, number));
                        } else {
                            JsonNumbers.checkRange(what, number);
                        }
                    }
                    case VALUE_TRUE, VALUE_FALSE -> {
                        if (depth == 1 && collectScalars) {
                            scalars.add(topLevelKey + "\u0000b" + (token == JsonToken.VALUE_TRUE));
                        }
                    }
                    default -> {
                        // null values and embedded objects: nothing to check or collect
                    }
                }
            }
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException(what + " is not valid JSON: trailing content after the object");
            }
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException(
                    what + " is beyond what PostgreSQL's jsonb accepts: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " could not be read: " + e.getMessage());
        }
        return scalars;
    }

    private static String kind(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name().toLowerCase();
        };
    }

    private static void checkNoNul(String what, String text, String where) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    what + " contains a NUL character (\\u0000) in " + where + ", which PostgreSQL jsonb cannot store");
        }
        if (hasLoneSurrogate(text)) {
            throw new IllegalArgumentException(what + " contains an unpaired UTF-16 surrogate in " + where
                    + ", which has no UTF-8 form and would not be stored as given");
        }
    }

    /**
     * @param text a string
     * @return whether it has a high surrogate not followed by a low one, or a low one alone
     */
    public static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses text that must be a JSON object.
     *
     * @param what names the input in error messages (for example {@code payload})
     * @param text the JSON text
     * @return the object
     * @throws IllegalArgumentException with a sentence naming the problem
     */
    public static ObjectNode parseObject(String what, String text) {
        if (text == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(what + " must be a JSON object, got "
                    + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase()));
        }
        String nul = findNulCharacter(node);
        if (nul != null) {
            throw new IllegalArgumentException(
                    what + " contains a NUL character (\\u0000) in " + nul + ", which PostgreSQL jsonb cannot store");
        }
        return (ObjectNode) node;
    }

    /** @return where a NUL character occurs in a key or string of the tree, or {@code null} */
    private static String findNulCharacter(JsonNode root) {
        // Iterative: documents may nest as deep as PostgreSQL accepts, deeper than a thread's stack.
        ArrayDeque<JsonNode> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isTextual() && node.textValue().indexOf('\0') >= 0) {
                return "a string value";
            }
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    if (field.getKey().indexOf('\0') >= 0) {
                        return "a key";
                    }
                    pending.push(field.getValue());
                }
            } else if (node.isArray()) {
                for (JsonNode element : node) {
                    pending.push(element);
                }
            }
        }
        return null;
    }

    /**
     * The canonical text of a scalar value, equal for values PostgreSQL's jsonb treats as equal:
     * strings as JSON string literals, numbers without trailing zeros, booleans as is.
     *
     * @param scalar a textual, numeric or boolean node
     * @return the canonical text, or {@code null} for nodes that are not such scalars
     */
    public static String canonicalScalar(JsonNode scalar) {
        if (scalar.isTextual()) {
            return "s" + scalar.textValue();
        }
        if (scalar.isNumber()) {
            return "n" + canonicalNumber(scalar.decimalValue());
        }
        if (scalar.isBoolean()) {
            return "b" + scalar.booleanValue();
        }
        return null;
    }

    /**
     * @param number a number
     * @return the number without trailing zeros, in plain notation
     * @throws IllegalArgumentException for numbers PostgreSQL's numeric (and so jsonb) refuses as
     *         written ({@link JsonNumbers#canonical})
     */
    public static String canonicalNumber(BigDecimal number) {
        return JsonNumbers.canonical(number);
    }

    /**
     * @param number a number {@link #canonicalNumber} accepts
     * @return the same number spelled one way: no trailing zeros after the point, scale at least 0
     */
    public static BigDecimal normalizedNumber(BigDecimal number) {
        return JsonNumbers.normalized(number);
    }

    /**
     * @param value a value Jackson can map (maps, lists, strings, numbers, booleans, records)
     * @return its JSON tree, numbers as this mapper reads them
     */
    public static JsonNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** @return a new, empty object node */
    public static ObjectNode objectNode() {
        return MAPPER.createObjectNode();
    }

    /**
     * @param scalar a string, a {@link BigDecimal} or a boolean (a payload predicate's value)
     * @return the value as a JSON node
     * @throws IllegalArgumentException for any other value
     */
    public static JsonNode scalarNode(Object scalar) {
        if (scalar instanceof String text) {
            return TextNode.valueOf(text);
        }
        if (scalar instanceof BigDecimal number) {
            return DecimalNode.valueOf(number);
        }
        if (scalar instanceof Boolean bool) {
            return BooleanNode.valueOf(bool);
        }
        throw new IllegalArgumentException("not a JSON scalar of a predicate: " + scalar);
    }

    /** @return the compact JSON text of a node */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }
}
