package io.dcbstore.postgres;

import io.dcbstore.InvalidInputException;
import io.dcbstore.postgres.PostgresStoreConfig.Setting;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link PostgresStoreConfig} from properties, every problem named by the property the
 * user wrote; {@link PostgresStoreConfig#fromProperties} is its public face.
 */
final class ConfigProperties {
    private ConfigProperties() {}

    /**
     * @return the name a setting is given under (camel or kebab case), or null when it is not
     *     given, or given under both (then a problem is added)
     */
    static String writtenName(Map<String, String> properties, String camel, String kebab, List<String> problems) {
        boolean asCamel = properties.containsKey(camel);
        boolean asKebab = properties.containsKey(kebab);
        if (asCamel && asKebab && !camel.equals(kebab)) {
            problems.add(camel + " and " + kebab + " are the same setting, given twice");
            return null;
        }
        return asCamel ? camel : asKebab ? kebab : null;
    }

    static PostgresStoreConfig read(Map<String, String> properties, String prefix) {
        if (properties == null || prefix == null) {
            throw new InvalidInputException("properties and prefix must not be null");
        }
        ConfigFields fields = ConfigFields.ofDefaults();
        List<String> problems = new ArrayList<>();
        Map<String, String> written = new HashMap<>(); // setting key -> the property name used
        for (Setting setting : Setting.values()) {
            String name = writtenName(properties, prefix + setting.key(), prefix + setting.kebabKey(), problems);
            String text = name == null ? null : properties.get(name);
            if (text == null) {
                continue;
            }
            written.put(setting.key(), name);
            try {
                setting.parse(fields, text);
            } catch (InvalidInputException e) { // a value object's own validation (JSON limits)
                e.problems().forEach(problem -> problems.add(name + ": " + problem));
            } catch (IllegalArgumentException | ArithmeticException e) {
                problems.add(name + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        try {
            return fields.build();
        } catch (InvalidInputException e) {
            // The record names its fields; name the property the user wrote instead.
            List<String> named = new ArrayList<>();
            for (String problem : e.problems()) {
                String field = problem.contains(" ") ? problem.substring(0, problem.indexOf(' ')) : problem;
                String property = written.get(field);
                named.add(property == null ? problem : property + problem.substring(field.length()));
            }
            throw new InvalidInputException(named);
        }
    }
}
