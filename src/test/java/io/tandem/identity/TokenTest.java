package io.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;
import io.tandem.support.TestUsers.Credentials;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ConsoleTest
class TokenTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    JdbcTemplate jdbc;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aScriptMintsItsFirstTokenWithBasicAndUsesItAsBearer() throws Exception {
        Credentials user = users.create(Role.VIEWER);
        String body = mvc.perform(post("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, basic(user))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"ci\", \"expiresInDays\": 7}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.name").value("ci"))
                .andExpect(jsonPath("$.id").isNotEmpty())
                .andExpect(jsonPath("$.expiresAt").isNotEmpty())
                .andReturn().getResponse().getContentAsString();
        String token = json.readTree(body).get("token").asString();
        assertThat(token).startsWith("tandem_");

        mvc.perform(get("/api/v1/clusters").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)).andExpect(status().isOk());

        // stored hashed only, listed without the secret, last use recorded
        assertThat(jdbc.queryForObject("select count(*) from api_token where token_hash = ?", Integer.class, token)).isZero();
        String listed = mvc.perform(get("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(listed).doesNotContain(token).contains("\"name\":\"ci\"");
        assertThat(json.readTree(listed).get(0).get("lastUsedAt").isNull()).isFalse();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where actor = ? and action = 'LOGIN' and details like '%basic%'",
                Integer.class, user.username())).isEqualTo(1);
    }

    @Test
    void basicIsAcceptedOnlyToMintTokens() throws Exception {
        Credentials user = users.create(Role.ADMIN);
        mvc.perform(get("/api/v1/clusters").header(HttpHeaders.AUTHORIZATION, basic(user)))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string(HttpHeaders.CONTENT_TYPE, org.hamcrest.Matchers.startsWith("application/problem+json")));
        mvc.perform(post("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, "Basic " + encode(user.username() + ":wrong"))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"x\"}"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"tandem\""));
    }

    @Test
    void aRevokedTokenStopsWorkingAtOnce() throws Exception {
        Credentials user = users.create(Role.OPERATOR);
        String token = users.token(user);
        String id = json.readTree(mvc.perform(get("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andReturn().getResponse().getContentAsString()).get(0).get("id").asString();
        mvc.perform(delete("/api/v1/tokens/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/clusters").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:invalid-token"));
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        Credentials user = users.create(Role.VIEWER);
        String token = users.token(user);
        jdbc.update("update api_token set expires_at = now() - interval '1 minute' where user_id = ?", user.id());
        mvc.perform(get("/api/v1/clusters").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void aDisabledUsersTokensStopWorking() throws Exception {
        Credentials user = users.create(Role.VIEWER);
        String token = users.token(user);
        jdbc.update("update app_user set enabled = false where id = ?", user.id());
        mvc.perform(get("/api/v1/clusters").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void aTokenCarriesItsUsersRoleAndNothingMore() throws Exception {
        String viewer = users.token(users.create(Role.VIEWER));
        mvc.perform(post("/api/v1/clusters").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer)
                        .contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:forbidden"));
    }

    @Test
    void aTokenNeverOpensTheHtmlUi() throws Exception {
        String admin = users.token(users.create(Role.ADMIN));
        mvc.perform(get("/").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/admin/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)).andExpect(redirectedUrl("/login"));
    }

    @Test
    void prometheusScrapesWithAToken() throws Exception {
        String token = users.token(users.create(Role.VIEWER));
        String metrics = mvc.perform(get("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(metrics).contains("jvm_memory_used_bytes");
        mvc.perform(get("/actuator/prometheus")).andExpect(status().isUnauthorized());
        mvc.perform(get("/actuator/health")).andExpect(status().isOk()).andExpect(jsonPath("$.components.db.status").value("UP"));
    }

    @Test
    void tokenRequestsAreValidated() throws Exception {
        String token = users.token(users.create(Role.VIEWER));
        JsonNode problem = json.readTree(mvc.perform(post("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"\", \"expiresInDays\": 9999}"))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString());
        assertThat(problem.get("type").asString()).isEqualTo("urn:tandem:problem:invalid-token-name");
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("name");
        mvc.perform(post("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"x\", \"expiresInDays\": 9999}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("expiresInDays"));
        mvc.perform(post("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON).content("{not json"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:unreadable-body"));
    }

    private static String basic(Credentials user) {
        return "Basic " + encode(user.username() + ":" + user.password());
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
