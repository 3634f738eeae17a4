package io.dcbstore.example.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestConstructor;

/**
 * The example as it runs: on a random port, over HTTP, on an embedded PostgreSQL it starts itself
 * (or, when {@code DCB_TEST_JDBC_URL} names one, on that server, on tables of its own).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestConstructor(autowireMode = TestConstructor.AutowireMode.ALL)
class LibraryApplicationTest {
    private final TestRestTemplate http;

    LibraryApplicationTest(TestRestTemplate http) {
        this.http = http;
    }

    @DynamicPropertySource
    static void externalDatabase(DynamicPropertyRegistry registry) {
        String url = System.getenv("DCB_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            String table =
                    "example_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            registry.add("dcb.primary.url", () -> url);
            registry.add("dcb.primary.user", () -> envOr("DCB_TEST_USER", "postgres"));
            registry.add("dcb.primary.password", () -> envOr("DCB_TEST_PASSWORD", ""));
            registry.add("dcb.store.events-table", () -> table);
            registry.add("dcb.store.snapshots-table", () -> table + "_snap");
        }
    }

    @Test
    void aCopyLentToAReaderIsReadBackAsTheReadersLoan() {
        String bookId = unique("book");
        String readerId = unique("reader");
        assertThat(post("/copies", copy(bookId)).getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(post("/readers", Map.of("readerId", readerId, "name", "Ada")).getStatusCode())
                .isEqualTo(HttpStatus.CREATED);

        ResponseEntity<Map> lent = post("/lendings", Map.of("bookId", bookId, "readerId", readerId));

        assertThat(lent.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(lent.getBody()).containsEntry("status", "SUCCESS");
        Map<?, ?> loans = http.getForObject("/readers/{id}/loans", Map.class, readerId);
        assertThat(loans.get("readerId")).isEqualTo(readerId);
        assertThat((List<?>) loans.get("books")).singleElement().asString().contains("bookId=" + bookId);
        assertThat(post("/lendings", Map.of("bookId", bookId, "readerId", readerId))
                        .getStatusCode())
                .as("lending it again to the same reader has already taken effect")
                .isEqualTo(HttpStatus.OK);
    }

    @Test
    void aCopyLentToOneReaderIsAConflictForAnother() {
        String bookId = unique("book");
        String first = unique("reader");
        String second = unique("reader");
        post("/copies", copy(bookId));
        post("/readers", Map.of("readerId", first, "name", "Ada"));
        post("/readers", Map.of("readerId", second, "name", "Grace"));
        post("/lendings", Map.of("bookId", bookId, "readerId", first));

        ResponseEntity<Map> refused = post("/lendings", Map.of("bookId", bookId, "readerId", second));

        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(refused.getBody()).containsEntry("failureReason", "BOOK_LENT_TO_ANOTHER_READER");
    }

    @Test
    void lendingToAReaderWhoNeverRegisteredIsUnprocessable() {
        String bookId = unique("book");
        post("/copies", copy(bookId));

        ResponseEntity<Map> refused = post("/lendings", Map.of("bookId", bookId, "readerId", unique("nobody")));

        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
        assertThat(refused.getBody()).containsEntry("failureReason", "READER_NOT_REGISTERED");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCopyWithoutTitleOrValidYearIsABadRequestNamingBothProblems() {
        ResponseEntity<Map> invalid =
                post("/copies", Map.of("bookId", unique("book"), "isbn", "978-0", "authors", "X"));

        assertThat(invalid.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat((List<Object>) invalid.getBody().get("problems"))
                .containsExactly(
                        "title must not be null or blank", "publication year must be between 1 and 9999, got 0");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theHealthEndpointShowsTheStore() {
        Map<String, Object> health = http.getForObject("/actuator/health", Map.class);

        assertThat(health).containsEntry("status", "UP");
        Map<String, Object> components = (Map<String, Object>) health.get("components");
        assertThat(components).containsKey("dcb");
    }

    private ResponseEntity<Map> post(String path, Object body) {
        return http.postForEntity(path, body, Map.class);
    }

    private static Map<String, Object> copy(String bookId) {
        return Map.of(
                "bookId", bookId,
                "isbn", "978-0-13-468599-1",
                "title", "The Pragmatic Programmer",
                "authors", "Hunt, Thomas",
                "edition", "2nd",
                "publisher", "Addison-Wesley",
                "publicationYear", 2019);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
