package io.dcbstore.simulator.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What a written report.json must look like, checked over every node: shared by the unit test and the end-to-end test. */
public final class JsonShape {
    /** A snake_case key: lowercase words of letters and digits joined by single underscores. */
    public static final Pattern SNAKE_CASE = Pattern.compile("^[a-z0-9]+(_[a-z0-9]+)*$");
    /** What a record's {@code toString()} looks like: {@code Name[component=}. */
    public static final Pattern RECORD_TO_STRING = Pattern.compile("\\w+\\[\\w+=");

    private JsonShape() {}

    /**
     * @param json a document
     * @return the path of every key, at any depth (map keys included), that is not snake_case
     */
    public static List<String> keysNotInSnakeCase(JsonNode json) {
        List<String> found = new ArrayList<>();
        walk(json, "$", (path, node, key) -> {
            if (key != null && !SNAKE_CASE.matcher(key).matches()) {
                found.add(path);
            }
        });
        return found;
    }

    /**
     * @param json a document
     * @return the path and value of every string value that looks like a record's {@code toString()}
     */
    public static List<String> recordToStrings(JsonNode json) {
        List<String> found = new ArrayList<>();
        walk(json, "$", (path, node, key) -> {
            if (node.isTextual() && RECORD_TO_STRING.matcher(node.asText()).find()) {
                found.add(path + " = " + node.asText());
            }
        });
        return found;
    }

    /**
     * @param json a document
     * @return how many keys it has at any depth
     */
    public static int keyCount(JsonNode json) {
        int[] count = {0};
        walk(json, "$", (path, node, key) -> count[0] += key == null ? 0 : 1);
        return count[0];
    }

    private interface Visitor {
        void visit(String path, JsonNode node, String key);
    }

    private static void walk(JsonNode node, String path, Visitor visitor) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String child = path + "." + field.getKey();
                visitor.visit(child, field.getValue(), field.getKey());
                walk(field.getValue(), child, visitor);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String child = path + "[" + i + "]";
                visitor.visit(child, node.get(i), null);
                walk(node.get(i), child, visitor);
            }
        }
    }
}
