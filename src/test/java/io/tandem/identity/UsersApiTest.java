package io.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ConsoleTest
class UsersApiTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    JdbcTemplate jdbc;

    private final JsonMapper json = JsonMapper.builder().build();
    private String admin;

    @BeforeEach
    void admin() {
        admin = users.token(users.create(Role.ADMIN));
    }

    @Test
    void anAdminCreatesAUserWithAGeneratedPasswordThatMustBeChanged() throws Exception {
        String name = "api-made-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode created = body(send(post("/api/v1/users"), "{\"username\": \"" + name + "\", \"role\": \"OPERATOR\"}")
                .andExpect(status().isCreated()));
        String password = created.get("password").asString();
        assertThat(password).hasSize(20);
        assertThat(created.get("user").get("mustChangePassword").asBoolean()).isTrue();
        assertThat(created.get("user").has("passwordHash")).isFalse();
        mvc.perform(formLogin().user(name).password(password)).andExpect(redirectedUrl("/"));

        JsonNode chosen = body(send(post("/api/v1/users"), "{\"username\": \"" + name + "-2\", \"role\": \"VIEWER\", \"password\": \"given-password-1\"}")
                .andExpect(status().isCreated()));
        assertThat(chosen.get("password").isNull()).as("a password the admin typed is not echoed").isTrue();
    }

    @Test
    void inputIsCheckedFieldByField() throws Exception {
        send(post("/api/v1/users"), "{\"username\": \"x y\", \"role\": \"VIEWER\"}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("username"));
        send(post("/api/v1/users"), "{\"username\": \"okname\", \"role\": \"VIEWER\", \"password\": \"short\"}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.type").value("urn:tandem:problem:weak-password"));
        send(post("/api/v1/users"), "{\"username\": \"okname2\"}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("role"));
        String taken = users.create(Role.VIEWER).username();
        send(post("/api/v1/users"), "{\"username\": \"" + taken.toUpperCase() + "\", \"role\": \"VIEWER\"}")
                .andExpect(status().isConflict()).andExpect(jsonPath("$.type").value("urn:tandem:problem:username-taken"));
    }

    @Test
    void roleChangesAndDisablingAreAuditedWithBeforeAndAfter() throws Exception {
        TestUsers.Credentials target = users.create(Role.VIEWER);
        send(patch("/api/v1/users/" + target.id()), "{\"role\": \"OPERATOR\", \"enabled\": false}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.role").value("OPERATOR"))
                .andExpect(jsonPath("$.enabled").value(false));
        String details = jdbc.queryForObject("select details from audit_event where action = 'USER_UPDATE' and target = ?",
                String.class, target.username());
        assertThat(details).contains("\"before\":{\"username\":\"" + target.username() + "\",\"role\":\"VIEWER\",\"enabled\":true}")
                .contains("\"after\":{\"username\":\"" + target.username() + "\",\"role\":\"OPERATOR\",\"enabled\":false}");
    }

    @Test
    void theLastEnabledAdminCannotBeDemotedOrDisabled() throws Exception {
        // make this test's admin the only enabled one for the duration of the check
        String otherAdmins = "update app_user set enabled = false where role = 'ADMIN' and id <> ?";
        TestUsers.Credentials onlyAdmin = users.create(Role.ADMIN);
        String token = users.token(onlyAdmin);
        jdbc.update(otherAdmins, onlyAdmin.id());
        try {
            mvc.perform(patch("/api/v1/users/" + onlyAdmin.id()).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                            .contentType(MediaType.APPLICATION_JSON).content("{\"role\": \"VIEWER\"}"))
                    .andExpect(status().isConflict())
                    .andExpect(jsonPath("$.type").value("urn:tandem:problem:last-admin"));
            mvc.perform(patch("/api/v1/users/" + onlyAdmin.id()).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                            .contentType(MediaType.APPLICATION_JSON).content("{\"enabled\": false}"))
                    .andExpect(status().isConflict());
        } finally {
            jdbc.update("update app_user set enabled = true where role = 'ADMIN'");
        }
    }

    @Test
    void aPasswordResetEndsTheOldPasswordAndForcesAChange() throws Exception {
        TestUsers.Credentials target = users.create(Role.VIEWER);
        String fresh = body(send(post("/api/v1/users/" + target.id() + "/password"), "{}").andExpect(status().isOk()))
                .get("password").asString();
        mvc.perform(formLogin().user(target.username()).password(target.password())).andExpect(redirectedUrl("/login?error"));
        mvc.perform(formLogin().user(target.username()).password(fresh)).andExpect(redirectedUrl("/"));
        send(post("/api/v1/users/" + UUID.randomUUID() + "/password"), "{}").andExpect(status().isNotFound());
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String body) throws Exception {
        return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private JsonNode body(ResultActions result) throws Exception {
        return json.readTree(result.andReturn().getResponse().getContentAsString());
    }
}
