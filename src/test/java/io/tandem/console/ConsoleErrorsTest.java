package io.tandem.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.servlet.MockMvc;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tandem.identity.Role;
import io.tandem.support.ConsoleTest;
import io.tandem.support.RawHttp;
import io.tandem.support.TestUsers;

/**
 * No input gives the console a 500 or an error in someone else's format: over the real Tomcat, request lines written
 * by hand, every API error is problem+json with a stable type and no internal class names.
 */
@ConsoleTest
class ConsoleErrorsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    TestUsers users;
    @Autowired
    MockMvc mvc;

    private RawHttp http;
    private String admin;

    @BeforeEach
    void setUp() {
        http = RawHttp.plain(port);
        admin = "Authorization: Bearer " + users.token(users.create(Role.ADMIN));
    }

    @Test
    void anAuditPageFarPastTheEndIsEmptyNotA500() throws Exception {
        RawHttp.Answer answer = http.send("GET", "/api/v1/audit?page=2147483647", admin);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("items").isEmpty()).isTrue();
        mvc.perform(get("/audit").param("page", "2147483647")
                        .session(TestUsers.login(mvc, users.create(Role.ADMIN))))
                .andExpect(status().isOk());
    }

    @Test
    void aHistoryRangeOutsideWhatTheDatabaseStoresIsA400NamingTheField() throws Exception {
        String id = registerPair();
        RawHttp.Answer answer = http.send("GET", "/api/v1/clusters/" + id + "/history?from=-999999999-01-01T00:00:00Z", admin);
        assertProblem(answer, 400, "invalid-range");
        assertThat(answer.body()).contains("from");

        RawHttp.Answer future = http.send("GET", "/api/v1/clusters/" + id + "/history?to=%2B999999999-12-31T00:00:00Z", admin);
        assertProblem(future, 400, "invalid-range");
        RawHttp.Answer audit = http.send("GET", "/api/v1/audit?from=-999999999-01-01T00:00:00Z", admin);
        assertProblem(audit, 400, "invalid-range");
    }

    @Test
    void pathsTomcatRefusesAreProblemJsonOnTheApiAndAPlainPageElsewhere() throws Exception {
        for (String target : List.of("/api/v1/clusters%2Fx", "/api/v1/clusters%00", "/api/v1/clu\\sters")) {
            assertProblem(http.send("GET", target, admin), 400, "bad-request");
        }
        for (String target : List.of("/clusters%2Fx", "/clusters%00", "/clu\\sters")) {
            RawHttp.Answer page = http.send("GET", target);
            assertThat(page.status()).as(target).isEqualTo(400);
            assertThat(page.contentType()).as(target).startsWith("text/html");
            assertThat(page.body()).as(target).doesNotContain("Tomcat").doesNotContain("Exception");
        }
    }

    @Test
    void aWrongMethodIs405ProblemJson() throws Exception {
        assertProblem(http.send("DELETE", "/api/v1/audit", admin), 405, "method-not-allowed");
    }

    @Test
    void aRequestTheFirewallRejectsIsProblemJson() throws Exception {
        assertProblem(http.send("GET", "/api/v1/clusters;x=1", admin), 400, "bad-request");
        assertProblem(http.send("GET", "/api/v1//clusters", admin), 400, "bad-request");
    }

    @Test
    void aBodyOfTheWrongShapeNamesTheFieldNotAClass() throws Exception {
        for (String body : List.of("{\"name\": \"x\", \"mode\": \"SIDEWAYS\", \"nodes\": []}",
                "{\"name\": \"x\", \"mode\": \"HOT\", \"nodes\": \"two\"}", "[1]", "{\"name\": ")) {
            RawHttp.Answer answer = http.send("POST", "/api/v1/clusters", body.getBytes(StandardCharsets.UTF_8), admin,
                    "Content-Type: application/json");
            assertProblem(answer, 400, "unreadable-body");
        }
        RawHttp.Answer answer = http.send("POST", "/api/v1/clusters",
                "{\"name\": \"x\", \"mode\": \"SIDEWAYS\", \"nodes\": []}".getBytes(StandardCharsets.UTF_8), admin,
                "Content-Type: application/json");
        assertThat(JSON.readTree(answer.body()).path("detail").asString()).contains("'mode'");
    }

    private String registerPair() throws Exception {
        String name = "errors-" + System.nanoTime();
        RawHttp.Answer created = http.send("POST", "/api/v1/clusters", """
                {"name": "%s", "mode": "HOT",
                 "nodes": [{"name": "nfo-a", "address": "192.0.2.1", "access": "SSH", "sshUser": "tandem"},
                           {"name": "nfo-b", "address": "192.0.2.2", "access": "SSH", "sshUser": "tandem"}]}
                """.formatted(name).getBytes(StandardCharsets.UTF_8), admin, "Content-Type: application/json");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).path("id").asString();
    }

    private static void assertProblem(RawHttp.Answer answer, int status, String slug) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).as(answer.body()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.path("type").asString()).isEqualTo("urn:tandem:problem:" + slug);
        assertThat(answer.body()).doesNotContainPattern("(io\\.tandem|java\\.|tools\\.jackson|org\\.springframework|org\\.apache)\\.")
                .doesNotContain("Exception");
    }
}
