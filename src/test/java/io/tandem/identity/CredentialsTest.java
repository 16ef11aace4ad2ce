package io.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;
import io.tandem.support.TestUsers.Credentials;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Issue 12, credentials and sessions: token lineage and revocation, session end, password rules, forwarded addresses. */
@ConsoleTest
class CredentialsTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aTokenMintedWithATokenNeverOutlivesItAndIsRevokedWithIt() throws Exception {
        Credentials user = users.create(Role.OPERATOR);
        String parent = users.token(user); // 30 days
        JsonNode child = body(mint("Bearer " + parent, 365).andExpect(status().isCreated()));
        Instant parentExpiry = expiryOf(parent);
        assertThat(Instant.parse(child.get("expiresAt").asString())).isEqualTo(parentExpiry);
        JsonNode grandchild = body(mint("Bearer " + child.get("token").asString(), 7).andExpect(status().isCreated()));
        assertThat(Instant.parse(grandchild.get("expiresAt").asString())).isBefore(parentExpiry);
        assertUsable(grandchild.get("token").asString(), true);

        String parentId = jdbc.queryForObject("select id::text from api_token where token_hash = ?", String.class,
                TokenService.hash(parent));
        mvc.perform(delete("/api/v1/tokens/" + parentId).header(HttpHeaders.AUTHORIZATION, "Bearer " + parent))
                .andExpect(status().isNoContent());
        assertUsable(parent, false);
        assertUsable(child.get("token").asString(), false);
        assertUsable(grandchild.get("token").asString(), false);

        // with the password (HTTP Basic) a script still gets the full lifetime
        JsonNode withPassword = body(mint(basic(user), 365).andExpect(status().isCreated()));
        assertThat(Instant.parse(withPassword.get("expiresAt").asString()))
                .isAfter(Instant.now().plus(Duration.ofDays(364)));
    }

    @Test
    void aPasswordResetANewRoleOrDisablingRevokesTheUsersTokens() throws Exception {
        String admin = users.token(users.create(Role.ADMIN));

        Credentials reset = users.create(Role.VIEWER);
        String resetToken = users.token(reset);
        api(post("/api/v1/users/" + reset.id() + "/password"), admin, "{}").andExpect(status().isOk());
        assertUsable(resetToken, false);

        Credentials promoted = users.create(Role.VIEWER);
        String promotedToken = users.token(promoted);
        api(patch("/api/v1/users/" + promoted.id()), admin, "{\"role\": \"OPERATOR\"}").andExpect(status().isOk());
        assertUsable(promotedToken, false);

        Credentials disabled = users.create(Role.VIEWER);
        String disabledToken = users.token(disabled);
        api(patch("/api/v1/users/" + disabled.id()), admin, "{\"enabled\": false}").andExpect(status().isOk());
        api(patch("/api/v1/users/" + disabled.id()), admin, "{\"enabled\": true}").andExpect(status().isOk());
        assertUsable(disabledToken, false);

        Credentials unchanged = users.create(Role.VIEWER);
        String unchangedToken = users.token(unchanged);
        api(patch("/api/v1/users/" + unchanged.id()), admin, "{\"role\": \"VIEWER\", \"enabled\": true}").andExpect(status().isOk());
        assertUsable(unchangedToken, true);

        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'TOKEN_REVOKE' and target = ? and details like '%password reset%'",
                Integer.class, reset.username())).isEqualTo(1);
    }

    @Test
    void anAdminListsAndRevokesAnyonesTokensThroughTheApi() throws Exception {
        String admin = users.token(users.create(Role.ADMIN));
        Credentials owner = users.create(Role.OPERATOR);
        String token = users.token(owner);

        JsonNode listed = body(mvc.perform(get("/api/v1/users/" + owner.id() + "/tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isOk()));
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.toString()).doesNotContain(token);
        String id = listed.get(0).get("id").asString();

        // not for anyone else, and someone else's token is not found under another user
        mvc.perform(get("/api/v1/users/" + owner.id() + "/tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isForbidden());
        Credentials other = users.create(Role.VIEWER);
        mvc.perform(delete("/api/v1/users/" + other.id() + "/tokens/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/users/" + UUID.randomUUID() + "/tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isNotFound());

        mvc.perform(delete("/api/v1/users/" + owner.id() + "/tokens/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isNoContent());
        assertUsable(token, false);
    }

    @Test
    void anAdminRevokesAUsersTokenOnTheUserPage() throws Exception {
        MockHttpSession admin = TestUsers.login(mvc, users.create(Role.ADMIN));
        Credentials owner = users.create(Role.VIEWER);
        String token = users.token(owner);
        String id = jdbc.queryForObject("select id::text from api_token where user_id = ?", String.class, owner.id());

        String page = mvc.perform(get("/admin/users/" + owner.id()).session(admin)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"user-token-table\"").contains("/admin/users/" + owner.id() + "/tokens/" + id + "/revoke");

        mvc.perform(post("/admin/users/" + owner.id() + "/tokens/" + id + "/revoke").session(admin).with(csrf()))
                .andExpect(redirectedUrl("/admin/users/" + owner.id()));
        assertUsable(token, false);
        String after = mvc.perform(get("/admin/users/" + owner.id()).session(admin)).andReturn().getResponse().getContentAsString();
        assertThat(after).contains("revoked").doesNotContain("/tokens/" + id + "/revoke");
    }

    @Test
    void changingYourOwnPasswordEndsYourOtherSessionsButNotThisOne() throws Exception {
        Credentials user = users.create(Role.VIEWER);
        MockHttpSession here = TestUsers.login(mvc, user);
        MockHttpSession elsewhere = TestUsers.login(mvc, user);
        mvc.perform(get("/").session(elsewhere)).andExpect(status().isOk());

        String chosen = TestUsers.password("mine");
        mvc.perform(post("/account/password").session(here).with(csrf()).param("currentPassword", user.password())
                        .param("newPassword", chosen).param("repeatPassword", chosen))
                .andExpect(redirectedUrl("/"));

        mvc.perform(get("/").session(here)).andExpect(status().isOk());
        mvc.perform(get("/").session(elsewhere)).andExpect(redirectedUrl("/login?expired"));
    }

    @Test
    void overlongCommonAndTrivialPasswordsGetAClearBadRequest() throws Exception {
        String admin = users.token(users.create(Role.ADMIN));
        String name = "pw-rules-" + UUID.randomUUID().toString().substring(0, 8);
        String overlong = "long-pass-".repeat(8); // 80 bytes: bcrypt refused it with a 500
        api(post("/api/v1/users"), admin, "{\"username\": \"" + name + "\", \"role\": \"VIEWER\", \"password\": \"" + overlong + "\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:password-too-long"))
                .andExpect(jsonPath("$.errors[0].field").value("password"));
        for (String trivial : new String[] {"1234567890", "aaaaaaaaaa"}) {
            api(post("/api/v1/users"), admin, "{\"username\": \"" + name + "\", \"role\": \"VIEWER\", \"password\": \"" + trivial + "\"}")
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.type").value("urn:tandem:problem:weak-password"));
        }
        Credentials user = users.create(Role.VIEWER);
        api(post("/api/v1/users/" + user.id() + "/password"), admin, "{\"password\": \"" + overlong + "\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:password-too-long"));

        // in the browser, beside the field
        MockHttpSession session = TestUsers.login(mvc, user);
        String page = mvc.perform(post("/account/password").session(session).with(csrf()).param("currentPassword", user.password())
                        .param("newPassword", overlong).param("repeatPassword", overlong))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("at most 72 bytes");
    }

    @Test
    void aForwardedForHeaderFromAnUnlistedPeerDoesNotChangeTheAuditedAddress() throws Exception {
        String name = "forged-" + UUID.randomUUID().toString().substring(0, 8);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tokens"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + encode(name + ":not-the-password"))
                .header("X-Forwarded-For", "203.0.113.99")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"x\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(jdbc.queryForObject("select remote_address from audit_event where actor = ? and action = 'LOGIN'",
                String.class, name)).isEqualTo("127.0.0.1");
    }

    private ResultActions mint(String authorization, int days) throws Exception {
        return mvc.perform(post("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, authorization)
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"minted\", \"expiresInDays\": " + days + "}"));
    }

    private ResultActions api(MockHttpServletRequestBuilder request, String token, String body) throws Exception {
        return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private void assertUsable(String token, boolean usable) throws Exception {
        mvc.perform(get("/api/v1/clusters").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(usable ? status().isOk() : status().isUnauthorized());
    }

    private Instant expiryOf(String token) {
        return jdbc.queryForObject("select expires_at from api_token where token_hash = ?", Instant.class, TokenService.hash(token));
    }

    private JsonNode body(ResultActions result) throws Exception {
        return json.readTree(result.andReturn().getResponse().getContentAsString());
    }

    private static String basic(Credentials user) {
        return "Basic " + encode(user.username() + ":" + user.password());
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
