package io.dcbstore.example.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Review of the example: requests Spring Boot users will send, and its shutdown. Failing tests are findings. */
class LibraryApplicationEdgeCasesTest {
    private static ConfigurableApplicationContext app;
    private static String base;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        app = SpringApplication.run(LibraryApplication.class, "--server.port=0");
        base = "http://localhost:"
                + ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void malformedJsonIsA400Problem() throws Exception {
        HttpResponse<String> response = post("/readers", "{\"readerId\": ");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type"))
                .as("the same RFC 9457 problem format as the other errors: " + response.body())
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void aWrongTypeIsA400() throws Exception {
        HttpResponse<String> response = post(
                "/copies",
                "{\"bookId\":\"" + id() + "\",\"isbn\":\"978\",\"title\":\"T\",\"authors\":\"A\","
                        + "\"publicationYear\":\"next year\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    }

    @Test
    void anEmptyBodyIsA400() throws Exception {
        assertThat(post("/readers", "").statusCode()).isEqualTo(400);
        assertThat(post("/readers", "null").statusCode()).isEqualTo(400);
        assertThat(post("/readers", "{}").statusCode()).isEqualTo(400);
        assertThat(post("/readers", "[]").statusCode()).isEqualTo(400);
    }

    @Test
    void aMisspelledOptionalFieldIsRejectedNotSilentlyDropped() throws Exception {
        HttpResponse<String> response = post(
                "/copies",
                "{\"bookId\":\"" + id() + "\",\"isbn\":\"978\",\"title\":\"T\",\"authors\":\"A\","
                        + "\"publicationYear\":2019,\"editon\":\"2nd\"}");
        assertThat(response.statusCode())
                .as("unknown field 'editon' (for edition): " + response.statusCode() + " " + response.body())
                .isEqualTo(400);
    }

    @Test
    void aFractionalYearIsRejected() throws Exception {
        HttpResponse<String> response = post(
                "/copies",
                "{\"bookId\":\"" + id() + "\",\"isbn\":\"978\",\"title\":\"T\",\"authors\":\"A\","
                        + "\"publicationYear\":2019.9}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    }

    @Test
    void aLoneSurrogateIsNotA500() throws Exception {
        HttpResponse<String> response = post("/readers", "{\"readerId\":\"r-\\uD800\",\"name\":\"x\"}");
        assertThat(response.statusCode()).as(response.body()).isLessThan(500);
    }

    @Test
    void anUnknownPathOrMethodIsNotA500() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/copies/x")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isIn(404, 405);
    }

    @Test
    void theEmbeddedServerStopsWithTheApplication() {
        ConfigurableApplicationContext second = SpringApplication.run(LibraryApplication.class, "--server.port=0");
        EmbeddedPostgres server = second.getBean(EmbeddedPostgres.class);
        ProcessHandle postmaster = ProcessHandle.of(server.postmasterPid()).orElseThrow();
        second.close();
        assertThat(postmaster.isAlive()).isFalse();
        assertThat(server.dataDirectory()).doesNotExist();
    }

    @Test
    void theEmbeddedServerStopsWhenTheStartFailsLater() throws Exception {
        Set<Long> before = descendants();
        try (ServerSocket taken = new ServerSocket(0)) {
            assertThatThrownBy(() ->
                            SpringApplication.run(LibraryApplication.class, "--server.port=" + taken.getLocalPort()))
                    .isNotNull();
        }
        Thread.sleep(2_000);
        assertThat(descendants()).as("processes left behind").isEqualTo(before);
    }

    @Test
    void anEmptyPrimaryUrlStartsOnTheEmbeddedDatabase() {
        Set<Long> before = descendants();
        try (ConfigurableApplicationContext third =
                SpringApplication.run(LibraryApplication.class, "--server.port=0", "--dcb.primary.url=")) {
            assertThat(third.getBean(io.dcbstore.EventStore.class)).isNotNull();
        } finally {
            assertThat(descendants()).as("processes left behind").isEqualTo(before);
        }
    }

    @Test
    void aDatabaseThatIsDownIsA503NotA500() throws Exception {
        try (ConfigurableApplicationContext fourth =
                SpringApplication.run(LibraryApplication.class, "--server.port=0")) {
            String url = "http://localhost:"
                    + ((WebServerApplicationContext) fourth).getWebServer().getPort();
            fourth.getBean(EmbeddedPostgres.class).stopServer();
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url + "/readers"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"readerId\":\"r1\",\"name\":\"x\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        }
    }

    @Test
    void aPrimaryUrlWithAQuoteFailsWithTheStoresMessageNotASpelError() {
        // e.g. an options= value or a password with an apostrophe, URL-escaped or not; nobody listens on port 1
        assertThatThrownBy(() -> SpringApplication.run(
                        LibraryApplication.class,
                        "--server.port=0",
                        "--dcb.primary.url=jdbc:postgresql://127.0.0.1:1/library?ApplicationName=o'brien"))
                .hasStackTraceContaining("cannot connect pool 'dcb-primary'");
    }

    private static Set<Long> descendants() {
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }
}
