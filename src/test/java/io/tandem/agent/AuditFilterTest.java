package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The audit filter in front of a stand-in mutating endpoint, with the real token filter behind it. */
class AuditFilterTest {

    private static final String TOKEN = "tagent_test-token";
    private final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path tmp;
    private Path log;
    private MockMvc mvc;
    /** The flood limiter's clock, moved by hand. */
    private final AtomicLong nanos = new AtomicLong();

    @RestController
    static class StandIn {
        @PutMapping("/v1/config/staging")
        @ResponseStatus(HttpStatus.CREATED)
        void stage(@RequestBody String body) {
        }

        @GetMapping("/v1/config/manifest")
        String manifest() {
            return "{}";
        }

        @GetMapping("/v1/config/file")
        String file() {
            return "{}";
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        log = tmp.resolve("audit.jsonl");
        AccessToken token = new AccessToken(AccessToken.hash(TOKEN));
        mvc = MockMvcBuilders.standaloneSetup(new StandIn())
                .addFilters(new AuditFilter(new AuditTrail(log, json), Clock.systemUTC(), nanos::get), new TokenFilter(token))
                .build();
    }

    @Test
    void aMutatingCallIsWrittenWithItsOutcomeAndTokenId() throws Exception {
        mvc.perform(put("/v1/config/staging?bundle=42").header("Authorization", "Bearer " + TOKEN)
                        .content("x").with(r -> { r.setRemoteAddr("192.0.2.7"); return r; }))
                .andExpect(status().isCreated());

        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(1);
        JsonNode entry = json.readTree(lines.get(0));
        assertThat(entry.path("method").asString()).isEqualTo("PUT");
        assertThat(entry.path("path").asString()).isEqualTo("/v1/config/staging");
        assertThat(entry.path("query").asString()).isEqualTo("bundle=42");
        assertThat(entry.path("status").asInt()).isEqualTo(201);
        assertThat(entry.path("client").asString()).isEqualTo("192.0.2.7");
        assertThat(entry.path("token").asString()).isEqualTo(new AccessToken(AccessToken.hash(TOKEN)).id()).doesNotContain(TOKEN);
        assertThat(entry.path("time").asString()).isNotBlank();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
    }

    @Test
    void aRefusedAttemptIsWrittenTooAndReadsAreNot() throws Exception {
        mvc.perform(put("/v1/config/staging").header("Authorization", "Bearer tagent_guess").content("x"))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/v1/config/manifest").header("Authorization", "Bearer " + TOKEN)).andExpect(status().isOk());

        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(1);
        JsonNode entry = json.readTree(lines.get(0));
        assertThat(entry.path("status").asInt()).isEqualTo(401);
        assertThat(entry.path("token").isNull()).isTrue();
    }

    @Test
    void aFailedAuthenticationOnAReadAndEveryConfigFileReadAreWritten() throws Exception {
        mvc.perform(get("/v1/config/manifest").header("Authorization", "Bearer tagent_guess"))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/v1/config/manifest")).andExpect(status().isUnauthorized());
        mvc.perform(get("/v1/config/file?path=server/etc/server.cfg").header("Authorization", "Bearer " + TOKEN))
                .andExpect(status().isOk());

        List<JsonNode> entries = Files.readAllLines(log).stream().map(json::readTree).toList();
        assertThat(entries).extracting(e -> e.path("method").asString() + " " + e.path("path").asString() + " "
                        + e.path("status").asInt())
                .containsExactly("GET /v1/config/manifest 401", "GET /v1/config/manifest 401", "GET /v1/config/file 200");
        assertThat(entries.get(2).path("query").asString()).isEqualTo("path=server/etc/server.cfg");
        assertThat(entries.get(2).path("token").asString()).startsWith("sha256:");
    }

    @Test
    void aFloodOfFailedAuthenticationsIsBoundedAndTheNextLineCountsWhatWasLeftOut() throws Exception {
        int flood = AuditFilter.FLOOD_BURST + 500;
        for (int i = 0; i < flood; i++) {
            mvc.perform(get("/v1/config/manifest").header("Authorization", "Bearer tagent_guess"))
                    .andExpect(status().isUnauthorized());
        }
        // an authenticated change is never dropped, even while the flood's bucket is empty
        mvc.perform(put("/v1/config/staging").header("Authorization", "Bearer " + TOKEN).content("x"))
                .andExpect(status().isCreated());
        assertThat(Files.readAllLines(log)).hasSize(AuditFilter.FLOOD_BURST + 1);

        nanos.addAndGet(2_000_000_000L); // two seconds later the bucket holds two lines again
        mvc.perform(get("/v1/config/manifest")).andExpect(status().isUnauthorized());

        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(AuditFilter.FLOOD_BURST + 2);
        JsonNode change = json.readTree(lines.get(lines.size() - 2));
        assertThat(change.path("method").asString()).isEqualTo("PUT");
        assertThat(change.path("suppressed").asLong()).as("left out just before it").isEqualTo(500);
        JsonNode last = json.readTree(lines.get(lines.size() - 1));
        assertThat(last.path("status").asInt()).isEqualTo(401);
        assertThat(last.path("suppressed").asLong()).isZero();
    }
}
