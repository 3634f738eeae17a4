package io.dcbstore.simulator.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code report.json}: the {@link RunReport} as Jackson writes it, configured once here. Every
 * key is snake_case (the record components' names, translated); records are JSON objects, never
 * their {@code toString()}; figures marked {@link Rounded} are written to three decimals. Keys of
 * maps are data (operation names, as in {@code --mix}, which are snake_case too).
 */
public final class ReportJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ReportJson() {}

    /**
     * @param report the report
     * @return the indented JSON document
     */
    public static String write(RunReport report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("the report could not be written as JSON", e);
        }
    }

    /**
     * @param document another of the simulator's reports (a record)
     * @return its indented JSON, written as {@code report.json} is
     */
    static String writeValue(Object document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("the report could not be written as JSON", e);
        }
    }

    /**
     * @param report the report
     * @return the JSON document as a tree
     */
    public static ObjectNode tree(RunReport report) {
        return JSON.valueToTree(report);
    }

    /**
     * Reads a report written by {@link #write}; rounded figures come back rounded.
     *
     * @param json the JSON document
     * @return the report
     * @throws JsonProcessingException when the document is not a report
     */
    public static RunReport read(String json) throws JsonProcessingException {
        return JSON.readValue(json, RunReport.class);
    }

    /**
     * One record's JSON fields on one line, as {@code {name=value, ...}}, for the console.
     *
     * @param value a record of the report
     * @return the line
     */
    static String inline(Object value) {
        JsonNode tree = JSON.valueToTree(value);
        StringJoiner line = new StringJoiner(", ", "{", "}");
        for (Map.Entry<String, JsonNode> field : tree.properties()) {
            line.add(field.getKey() + "=" + field.getValue().asText());
        }
        return line.toString();
    }
}
