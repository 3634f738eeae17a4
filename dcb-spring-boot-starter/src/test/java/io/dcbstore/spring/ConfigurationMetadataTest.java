package io.dcbstore.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.postgres.PostgresStoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonParserFactory;

/** The metadata IDEs complete {@code dcb.*} from: every setting of the store has a documented property. */
class ConfigurationMetadataTest {
    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    @Test
    void everyStoreSettingHasADocumentedPropertyWithADefault() throws IOException {
        Map<String, Map<String, Object>> properties = properties();
        List<String> expected = Arrays.stream(PostgresStoreConfig.Setting.values())
                .filter(setting -> setting != PostgresStoreConfig.Setting.JSON_LIMITS)
                .map(setting -> "dcb.store." + kebabCase(setting.key()))
                .toList();
        assertThat(properties).containsKeys(expected.toArray(String[]::new));
        for (String name : expected) {
            assertThat(properties.get(name)).as(name).containsKeys("description", "defaultValue");
        }
    }

    @Test
    void theConnectionPropertiesAreDocumented() throws IOException {
        assertThat(properties())
                .containsKeys(
                        "dcb.primary.url", "dcb.primary.user", "dcb.primary.password", "dcb.replicas", "dcb.pool-size");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> properties() throws IOException {
        try (InputStream in = ConfigurationMetadataTest.class.getClassLoader().getResourceAsStream(METADATA)) {
            assertThat(in).as(METADATA + " on the classpath").isNotNull();
            Map<String, Object> metadata =
                    JsonParserFactory.getJsonParser().parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return ((List<Map<String, Object>>) metadata.get("properties"))
                    .stream()
                            .collect(Collectors.toMap(property -> (String) property.get("name"), property -> property));
        }
    }

    private static String kebabCase(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
