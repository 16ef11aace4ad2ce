package io.tandem.fleet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.tandem.identity.Role;
import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/clusters} is written once per change of the fleet and shared by every client: a registration,
 * an edit and a removal each show at the next request, and each pair in it reads as {@code GET /api/v1/clusters/{id}}.
 */
@ConsoleTest
class ClusterListApiTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    ClusterListJson listJson;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void theSharedListShowsEveryChangeAtTheNextRequest() throws Exception {
        String admin = users.token(users.create(Role.ADMIN));
        String viewer = users.token(users.create(Role.VIEWER));
        String name = "listed-" + UUID.randomUUID().toString().substring(0, 8);

        JsonNode created = read(call(post("/api/v1/clusters"), admin, """
                {"name": "%s", "mode": "HOT", "description": "first",
                 "nodes": [{"name": "nfo-a", "address": "10.30.0.1", "access": "AGENT"},
                           {"name": "nfo-b", "address": "10.30.0.2", "access": "AGENT"}]}
                """.formatted(name), 201));
        String id = created.get("id").asString();
        JsonNode listed = listed(viewer, id);
        assertThat(listed).as("registered, in the list at the next request").isNotNull();
        assertThat(listed.get("description").asString()).isEqualTo("first");
        assertThat(listed).as("a pair in the list reads as its own GET").isEqualTo(read(call(get("/api/v1/clusters/" + id), viewer, null, 200)));

        long writings = listJson.writings();
        listed(viewer, id);
        listed(admin, id);
        assertThat(listJson.writings()).as("an unchanged fleet is written once for every client").isEqualTo(writings);

        call(put("/api/v1/clusters/" + id + "/drift-ignore"), admin, "{\"globs\": [\"server/etc/license.key\"]}", 200);
        assertThat(listed(viewer, id).get("driftIgnore").get(0).asString()).isEqualTo("server/etc/license.key");

        call(delete("/api/v1/clusters/" + id), admin, null, 204);
        assertThat(listed(viewer, id)).as("removed, gone from the list at the next request").isNull();

        mvc.perform(get("/api/v1/clusters")).andExpect(status().isUnauthorized());
    }

    private JsonNode listed(String token, String id) throws Exception {
        JsonNode list = read(call(get("/api/v1/clusters"), token, null, 200));
        for (JsonNode pair : list) {
            if (pair.get("id").asString().equals(id)) {
                return pair;
            }
        }
        return null;
    }

    private String call(MockHttpServletRequestBuilder request, String token, String body, int status) throws Exception {
        request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        var response = mvc.perform(request).andExpect(status().is(status)).andReturn().getResponse();
        if (status == 200) {
            assertThat(response.getContentType()).startsWith(MediaType.APPLICATION_JSON_VALUE);
        }
        return response.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private JsonNode read(String body) {
        return json.readTree(body);
    }
}
