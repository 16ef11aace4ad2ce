package io.tandem.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import io.tandem.access.NodeConnections;
import io.tandem.identity.Role;
import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ConsoleTest
class FleetApiTest {

    private static final String AGENT_TOKEN = "tagent_Zm9vYmFyYmF6cXV4cXV1eA";

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    NodeConnections connections;

    private final JsonMapper json = JsonMapper.builder().build();
    private String admin;

    @BeforeEach
    void admin() {
        admin = users.token(users.create(Role.ADMIN));
    }

    @Test
    void theIssueExampleRegistersAPairWithDefaults() throws Exception {
        String name = "pair-" + UUID.randomUUID();
        JsonNode created = body(send(post("/api/v1/clusters"), """
                {"name": "%s", "mode": "HOT",
                 "nodes": [{"name": "nfo-a", "address": "10.0.0.1", "access": "AGENT"},
                           {"name": "nfo-b", "address": "10.0.0.2", "access": "SSH", "sshUser": "tandem"}]}
                """.formatted(name)).andExpect(status().isCreated()));
        assertThat(created.get("name").asString()).isEqualTo(name);
        assertThat(created.get("nfoResource").asString()).isEqualTo("nfo");
        JsonNode a = created.get("nodes").get(0);
        assertThat(a.get("nfoHome").asString()).isEqualTo("/opt/flowintegrator");
        assertThat(a.get("flowPorts").get(0).asInt()).isEqualTo(9555);
        assertThat(a.get("agentPort").asInt()).isEqualTo(7443);
        assertThat(created.get("nodes").get(1).get("sshPort").asInt()).isEqualTo(22);
        assertThat(created.get("drbdResource").isNull()).as("no DRBD in Hot mode").isTrue();

        String id = created.get("id").asString();
        mvc.perform(get("/api/v1/clusters/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + users.token(users.create(Role.VIEWER))))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.nodes[1].access").value("SSH"));
    }

    @Test
    void theSshSudoFlagIsStoredShownAndUsedForTheNode() throws Exception {
        String name = "sudo-" + UUID.randomUUID();
        JsonNode created = body(send(post("/api/v1/clusters"), """
                {"name": "%s", "mode": "HOT",
                 "nodes": [{"name": "nfo-a", "address": "10.0.0.1", "access": "SSH", "sshUser": "nfoadmin", "sshSudo": true},
                           {"name": "nfo-b", "address": "10.0.0.2", "access": "SSH", "sshUser": "root"}]}
                """.formatted(name)).andExpect(status().isCreated()));
        assertThat(created.get("nodes").get(0).get("sshSudo").asBoolean()).isTrue();
        assertThat(created.get("nodes").get(1).get("sshSudo").asBoolean()).as("off unless asked for").isFalse();
        UUID id = UUID.fromString(created.get("id").asString());
        assertThat(connections.target(id, UUID.fromString(created.get("nodes").get(0).get("id").asString())).sudo()).isTrue();
        assertThat(connections.target(id, UUID.fromString(created.get("nodes").get(1).get("id").asString())).sudo()).isFalse();
    }

    @Test
    void invalidInputListsEveryFieldAtFaultAndStoresNothing() throws Exception {
        String name = "bad-" + UUID.randomUUID();
        JsonNode problem = body(send(post("/api/v1/clusters"), """
                {"name": "%s", "mode": "COLD",
                 "nodes": [{"name": "nfo a", "address": "10.0.0.300", "access": "AGENT", "flowPorts": [70000]},
                           {"name": "nfo-b", "address": "host..example", "sshPort": 0}]}
                """.formatted(name)).andExpect(status().isBadRequest()));
        assertThat(problem.get("type").asString()).isEqualTo("urn:tandem:problem:invalid-cluster");
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).contains("nodes[0].name", "nodes[0].address", "nodes[0].flowPorts",
                "nodes[1].address", "nodes[1].access", "nodes[1].sshPort");
        assertThat(jdbc.queryForObject("select count(*) from cluster where name = ?", Integer.class, name)).isZero();

        send(post("/api/v1/clusters"), "{\"name\": \"one-node\", \"mode\": \"HOT\", \"nodes\": [{\"name\": \"a\"}]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[?(@.field == 'nodes')]").exists());
        send(post("/api/v1/clusters"), "{\"name\": \"x\", \"mode\": \"LUKEWARM\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:unreadable-body"));
    }

    @Test
    void namesAreUniqueIgnoringCase() throws Exception {
        String name = "Unique-" + UUID.randomUUID();
        send(post("/api/v1/clusters"), pair(name, null)).andExpect(status().isCreated());
        send(post("/api/v1/clusters"), pair(name.toLowerCase(), null))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:name-taken"))
                .andExpect(jsonPath("$.errors[0].field").value("name"));
    }

    @Test
    void credentialsAreEncryptedAtRestAndNeverReturned() throws Exception {
        String name = "secret-" + UUID.randomUUID();
        JsonNode created = body(send(post("/api/v1/clusters"), pair(name, AGENT_TOKEN)).andExpect(status().isCreated()));
        String raw = created.toString();
        assertThat(raw).doesNotContain(AGENT_TOKEN).contains("\"hasCredential\":true");

        byte[] stored = jdbc.queryForObject("select credential from node where cluster_id = ?::uuid and position = 0",
                byte[].class, created.get("id").asString());
        assertThat(stored).isNotNull();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(AGENT_TOKEN).doesNotContain("Zm9vYmFy");
        String audit = jdbc.queryForObject("select details from audit_event where action = 'CLUSTER_CREATE' and target = ?",
                String.class, name);
        assertThat(audit).doesNotContain(AGENT_TOKEN);
        String list = mvc.perform(get("/api/v1/clusters").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andReturn().getResponse().getContentAsString();
        assertThat(list).doesNotContain(AGENT_TOKEN);
    }

    @Test
    void anUpdateKeepsTheStoredCredentialAndRefusesAStaleVersion() throws Exception {
        String name = "upd-" + UUID.randomUUID();
        JsonNode created = body(send(post("/api/v1/clusters"), pair(name, AGENT_TOKEN)).andExpect(status().isCreated()));
        String id = created.get("id").asString();
        JsonNode updated = body(send(put("/api/v1/clusters/" + id).header(HttpHeaders.IF_MATCH, "\"0\""),
                pair(name, null).replace("\"description\": null", "\"description\": \"edited\"")).andExpect(status().isOk()));
        assertThat(updated.get("description").asString()).isEqualTo("edited");
        assertThat(updated.get("nodes").get(0).get("hasCredential").asBoolean()).isTrue();
        assertThat(updated.get("nodes").get(0).get("id").asString())
                .as("nodes keep their identity across edits").isEqualTo(created.get("nodes").get(0).get("id").asString());

        send(put("/api/v1/clusters/" + id).header(HttpHeaders.IF_MATCH, "\"0\""), pair(name, null))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:stale-version"));
    }

    @Test
    void deleteRemovesThePairAndAuditsWhatItWas() throws Exception {
        String name = "del-" + UUID.randomUUID();
        String id = body(send(post("/api/v1/clusters"), pair(name, null)).andExpect(status().isCreated())).get("id").asString();
        mvc.perform(delete("/api/v1/clusters/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/clusters/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:not-found"));
        assertThat(jdbc.queryForObject("select count(*) from node where cluster_id = ?::uuid", Integer.class, id)).isZero();
        String before = jdbc.queryForObject("select details from audit_event where action = 'CLUSTER_DELETE' and target = ?",
                String.class, name);
        assertThat(before).contains("\"before\"").contains("nfo-a");
        mvc.perform(get("/api/v1/clusters/not-a-uuid").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:invalid-parameter"));
    }

    @Test
    void openApiDocumentsTheWholeApi() throws Exception {
        String docs = mvc.perform(get("/v3/api-docs")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(docs).contains("/api/v1/clusters", "/api/v1/clusters/{id}", "/api/v1/users", "/api/v1/tokens", "/api/v1/audit");
    }

    private static String pair(String name, String credential) {
        return """
                {"name": "%s", "mode": "HOT", "description": null,
                 "nodes": [{"name": "nfo-a", "address": "10.0.0.1", "access": "AGENT"%s},
                           {"name": "nfo-b", "address": "fd00::2", "access": "AGENT"}]}
                """.formatted(name, credential == null ? "" : ", \"credential\": \"" + credential + "\"");
    }

    private ResultActions send(org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request, String body)
            throws Exception {
        return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private JsonNode body(ResultActions result) throws Exception {
        return json.readTree(result.andReturn().getResponse().getContentAsString());
    }
}
