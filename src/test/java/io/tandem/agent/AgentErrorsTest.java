package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tandem.agent.wire.AgentProtocol;
import io.tandem.support.RawHttp;

/**
 * Every error the agent gives is problem+json with a stable type and no internal class names, whether Spring MVC,
 * a filter or Tomcat itself refused the request: over real HTTPS, request lines written by hand.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentErrorsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_UPLOAD = 4096;

    @TempDir
    static Path work;
    private TestAgents.Initialized init;
    private RunningAgent agent;
    private RawHttp http;
    private Path home;

    @BeforeAll
    void start() throws Exception {
        home = Files.createDirectories(work.resolve("nfo/server/etc")).getParent().getParent();
        Files.writeString(home.resolve("server/etc/server.cfg"), "LISTEN_PORT 9555\n");
        init = TestAgents.init(work.resolve("state"));
        agent = TestAgents.start(TestAgents.writeConfig(init, """
                nfo:
                  home: '%s'
                  config:
                    include: ["server/etc/**"]
                limits:
                  max-upload-bytes: %d
                  max-requests-per-second: 0
                """.formatted(home, MAX_UPLOAD)));
        http = RawHttp.tls(agent.port(), TestAgents.trustingTls(init));
    }

    @AfterAll
    void stop() {
        agent.close();
    }

    @Test
    void aStageWithoutBytesIsA400NamingTheField() throws Exception {
        String body = """
                {"files": [{"path": "server/etc/server.cfg", "expectedSha256": "%s"}]}""".formatted("ab".repeat(32));
        RawHttp.Answer answer = http.send("POST", AgentProtocol.CONFIG_CHANGES + "/no-bytes",
                body.getBytes(StandardCharsets.UTF_8), auth(), "Content-Type: application/json");

        assertProblem(answer, 400, "config-invalid-request");
        assertThat(detail(answer)).contains("'bytes'").contains("missing");
        assertThat(Files.exists(home.resolve(".tandem/staging/no-bytes"))).isFalse();
    }

    @Test
    void aStageThatIsNotJsonOfTheExpectedShapeIsA400WithoutClassNames() throws Exception {
        for (String body : List.of("[1,2]", "{\"files\": 7}", "{\"files\": [{\"path\": 5}]}", "{\"files\": [",
                "{\"files\": [{\"path\": \"server/etc/server.cfg\", \"bytes\": {}}]}", "{}")) {
            RawHttp.Answer answer = http.send("POST", AgentProtocol.CONFIG_CHANGES + "/bad-shape",
                    body.getBytes(StandardCharsets.UTF_8), auth(), "Content-Type: application/json");
            assertProblem(answer, 400, "config-invalid-request");
        }
    }

    @Test
    void aChunkedStageOverTheLimitIs413() throws Exception {
        byte[] bytes = new byte[MAX_UPLOAD * 2];
        String body = "{\"files\": [{\"path\": \"server/etc/big.cfg\", \"expectedSha256\": \"" + "ab".repeat(32)
                + "\", \"bytes\": \"" + java.util.Base64.getEncoder().encodeToString(bytes) + "\"}]}";
        RawHttp.Answer answer = http.send("POST", AgentProtocol.CONFIG_CHANGES + "/too-big",
                body.getBytes(StandardCharsets.UTF_8), auth(), "Content-Type: application/json");

        assertProblem(answer, 413, "payload-too-large");
        assertThat(Files.exists(home.resolve(".tandem/staging/too-big"))).isFalse();
        assertThat(Files.exists(home.resolve(".tandem/staging/.too-big.partial"))).as("scratch removed").isFalse();
    }

    @Test
    void aChunkedBodyOverTheLimitOnAnyOtherEndpointIs413() throws Exception {
        byte[] body = ("{\"verb\": \"" + "x".repeat(MAX_UPLOAD * 2) + "\"}").getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer answer = http.send("POST", AgentProtocol.PCS, body, auth(), "Content-Type: application/json");

        assertProblem(answer, 413, "payload-too-large");
    }

    @Test
    void aMalformedJsonBodyIsA400WithoutClassNames() throws Exception {
        RawHttp.Answer answer = http.send("POST", AgentProtocol.PCS, "{\"verb\": [".getBytes(StandardCharsets.UTF_8),
                auth(), "Content-Type: application/json");

        assertProblem(answer, 400, "bad-request");
    }

    @Test
    void pathsTomcatRefusesAreProblemJsonToo() throws Exception {
        for (String target : List.of("/v1/config/file%2Fx", "/v1/health%00", "/v1/he\\alth",
                "/v1/health%")) {
            RawHttp.Answer answer = http.send("GET", target, auth());

            assertThat(answer.status()).as(target).isEqualTo(400);
            assertThat(answer.contentType()).as(target).startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.path("type").asString()).as(target).isEqualTo(AgentProtocol.problemType("bad-request"));
            assertThat(answer.body()).as(target).doesNotContain("Tomcat").doesNotContain("Exception").doesNotContain("<");
        }
    }

    @Test
    void aFailedAuthenticationOnAReadAndAFileReadAreAudited() throws Exception {
        RawHttp.Answer refused = http.send("GET", AgentProtocol.HEALTH + "?probe=guess", "Authorization: Bearer tagent_guess");
        RawHttp.Answer read = http.send("GET", AgentProtocol.CONFIG_FILE + "?path=server/etc/server.cfg", auth());

        assertProblem(refused, 401, "invalid-token");
        assertThat(read.status()).isEqualTo(200);
        assertThat(auditLine("probe=guess")).contains("\"status\":401", "\"method\":\"GET\"");
        assertThat(auditLine("path=server/etc/server.cfg")).contains("\"status\":200", "\"token\":\"sha256:");
    }

    /**
     * A setup step the agent must not run: a value that fails its check, a verb outside setup's, a type that is not a
     * setup command. Each is a 400 before anything runs, and none echoes the body, where the password may be.
     */
    @Test
    void aSetupStepOutsideTheAllowListIsA400ThatNeverEchoesTheBody() throws Exception {
        String password = "Secret-hunter2";
        for (String body : List.of(
                "{\"type\": \"host-auth\", \"hosts\": [{\"name\": \"a;reboot\", \"address\": \"10.0.0.1\"},"
                        + " {\"name\": \"b\", \"address\": \"10.0.0.2\"}], \"password\": \"" + password + "\"}",
                "{\"type\": \"pcs\", \"args\": [\"cluster\", \"destroy\", \"--all\"], \"x\": \"" + password + "\"}",
                "{\"type\": \"shell\", \"command\": \"" + password + "\"}",
                "{\"type\": \"mkfs\", \"device\": \"/dev/sda\", \"backingDevice\": \"/dev/sda\", \"confirmation\": \"yes\"}")) {
            RawHttp.Answer answer = http.send("POST", AgentProtocol.SETUP_STEPS, body.getBytes(StandardCharsets.UTF_8), auth(),
                    "Content-Type: application/json");
            assertProblem(answer, 400, "bad-request");
            assertThat(answer.body()).doesNotContain(password).doesNotContain("reboot");
        }
    }

    private String auth() {
        return "Authorization: Bearer " + init.token();
    }

    private static void assertProblem(RawHttp.Answer answer, int status, String slug) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(JSON.readTree(answer.body()).path("type").asString()).isEqualTo(AgentProtocol.problemType(slug));
        assertThat(answer.body()).doesNotContainPattern("(io\\.tandem|java\\.|tools\\.jackson|org\\.springframework)\\.");
    }

    private static String detail(RawHttp.Answer answer) {
        return JSON.readTree(answer.body()).path("detail").asString();
    }

    /** The audit line is appended when the filter chain unwinds, just after the answer went out. */
    private String auditLine(String text) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(init.stateDir().resolve("audit.jsonl"))) {
                if (line.contains(text)) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no audit line containing " + text);
    }
}
