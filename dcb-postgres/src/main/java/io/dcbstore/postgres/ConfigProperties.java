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

    static PostgresStoreConfig read(Map<String, String> properties, String prefix) {
        if (properties == null || prefix == null) {
            throw new InvalidInputException("properties and prefix must not be null");
        }
        ConfigFields fields = ConfigFields.ofDefaults();
        List<String> problems = new ArrayList<>();
        Map<String, String> written = new HashMap<>(); // setting key -> the property name used
        for (Setting setting : Setting.values()) {
            String camel = prefix + setting.key();
            String kebab = prefix + setting.kebabKey();
            if (!camel.equals(kebab) && properties.containsKey(camel) && properties.containsKey(kebab)) {
                problems.add(camel + " and " + kebab + " are the same setting, given twice");
                continue;
            }
            String name = properties.containsKey(camel) ? camel : kebab;
            String text = properties.get(name);
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
