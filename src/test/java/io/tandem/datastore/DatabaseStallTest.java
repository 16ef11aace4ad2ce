package io.tandem.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.ConsoleApplication;
import io.tandem.identity.Role;
import io.tandem.support.TestUsers;

/**
 * A database that stops answering (SIGSTOP on the real server and its backends) must not hang the
 * console: health says DOWN, pages and the API answer 503 saying so, and all recovers once it answers
 * again. Its own context, as the stall would disturb every test sharing the database.
 */
@SpringBootTest(classes = ConsoleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.hikari.pool-name=stall-test")
@AutoConfigureMockMvc
@Import(TestUsers.class)
class DatabaseStallTest {

    /** A generous bound for a loaded machine; the point is that an answer comes, not how fast (the timeouts give ~5-8 s). */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

    @Autowired
    EmbeddedDatabase database;
    @Autowired
    TestUsers users;
    @Autowired
    MockMvc mvc;
    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aStalledDatabaseMakesHealthDownAndRequestsAnswer503UntilItAnswersAgain() throws Exception {
        TestUsers.Credentials admin = users.create(Role.ADMIN);
        String token = users.token(admin);
        MockHttpSession session = TestUsers.login(mvc, admin);
        assertThat(fetch("/actuator/health", null).statusCode()).isEqualTo(200);

        List<Long> stopped = stopDatabase();
        try {
            HttpResponse<String> health = fetch("/actuator/health", null);
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"DOWN\"");

            HttpResponse<String> api = fetch("/api/v1/audit", token);
            assertThat(api.statusCode()).isEqualTo(503);
            assertThat(api.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(api.body()).contains("urn:tandem:problem:database-unavailable");

            MockHttpServletResponse page = CompletableFuture.supplyAsync(() -> {
                try {
                    return mvc.perform(get("/audit").session(session)).andReturn().getResponse();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
            assertThat(page.getStatus()).isEqualTo(503);
            assertThat(page.getContentAsString()).contains("Database not answering");
        } finally {
            signal("CONT", stopped);
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline && (status = fetch("/actuator/health", null).statusCode()) != 200) {
            Thread.sleep(500);
        }
        assertThat(status).as("health once the database answers again").isEqualTo(200);
        assertThat(fetch("/api/v1/audit", token).statusCode()).isEqualTo(200);
    }

    /** Stops the postmaster first (so it forks no new backend), then every backend it has. */
    private List<Long> stopDatabase() throws IOException, InterruptedException {
        ProcessHandle postmaster = database.postmaster().orElseThrow();
        List<Long> pids = new ArrayList<>(List.of(postmaster.pid()));
        signal("STOP", pids);
        List<Long> backends = postmaster.children().map(ProcessHandle::pid).toList();
        signal("STOP", backends);
        pids.addAll(backends);
        return pids;
    }

    private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        Process kill = new ProcessBuilder(command).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private HttpResponse<String> fetch(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(ANSWER_WITHIN).header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
