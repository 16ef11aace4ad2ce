package io.tandem.operation;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;
import java.util.function.Predicate;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import com.jayway.jsonpath.JsonPath;

import io.tandem.fleet.ClusterView;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.NodeState;
import io.tandem.monitor.PairStates;

/**
 * Operations on one demo pair the way automation drives them: preflight, start and follow through the REST API with a
 * viewer's and an operator's token, and waits on the console's live picture of the pair.
 */
final class DemoPairOperations {

    private final MockMvc mvc;
    private final PairStates states;
    private final OperationJournal journal;
    private final ClusterView pair;
    private final String viewer;
    private final String operator;

    DemoPairOperations(MockMvc mvc, PairStates states, OperationJournal journal, ClusterView pair, String viewerToken,
                       String operatorToken) {
        this.mvc = mvc;
        this.states = states;
        this.journal = journal;
        this.pair = pair;
        this.viewer = viewerToken;
        this.operator = operatorToken;
    }

    String preflight(String kind, String node) throws Exception {
        return mvc.perform(get("/api/v1/clusters/" + pair.id() + "/operations/preflight").param("kind", kind).param("node", node)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    ResultActions start(String kind, String node, String confirm) throws Exception {
        return start(kind, node, confirm, null);
    }

    /** @param files a configuration copy's choice of files ({@code "files"}); null leaves it out */
    ResultActions start(String kind, String node, String confirm, java.util.List<String> files) throws Exception {
        String body = body(kind, node, confirm);
        if (files != null) {
            body = body.substring(0, body.length() - 1) + ", \"files\": [" + String.join(", ",
                    files.stream().map(f -> "\"" + f + "\"").toList()) + "]}";
        }
        return mvc.perform(post("/api/v1/clusters/" + pair.id() + "/operations").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }

    static String body(String kind, String node, String confirm) {
        return "{\"kind\": \"" + kind + "\", \"node\": \"" + node + "\", \"confirm\": \"" + confirm + "\"}";
    }

    /** Starts an operation through the API and follows it there until it ends (up to 5 minutes). */
    OperationView run(String kind, String node, String confirm) throws Exception {
        return run(kind, node, confirm, null);
    }

    /** As {@link #run(String, String, String)}, with a configuration copy's choice of files. */
    OperationView run(String kind, String node, String confirm, java.util.List<String> files) throws Exception {
        return follow(start(kind, node, confirm, files));
    }

    /** Follows a started operation through the API until it ends (up to 5 minutes). */
    OperationView follow(ResultActions started) throws Exception {
        String location = started.andExpect(status().isAccepted()).andReturn().getResponse().getHeader(HttpHeaders.LOCATION);
        UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
        for (int attempt = 0; attempt < 1200; attempt++) {
            String json = mvc.perform(get(location).header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            if (!"RUNNING".equals(JsonPath.read(json, "$.status"))) {
                return journal.find(id).orElseThrow();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("operation " + id + " never ended: " + journal.find(id));
    }

    NodeRole role(String node) {
        return states.state(pair.id()).orElseThrow().health().node(node).role();
    }

    String nodeWithRole(NodeRole role) throws Exception {
        awaitState(s -> s.health().nodes().stream().anyMatch(n -> n.role() == role));
        return states.state(pair.id()).orElseThrow().health().nodes().stream().filter(n -> n.role() == role)
                .map(NodeState::node).findFirst().orElseThrow();
    }

    /** Waits up to a minute for the console's picture of the pair to match. */
    void awaitState(Predicate<PairStates.PairState> wanted) throws Exception {
        for (int attempt = 0; attempt < 240; attempt++) {
            var state = states.state(pair.id());
            if (state.isPresent() && wanted.test(state.get())) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(pair.name() + " never reached the expected state: "
                + states.state(pair.id()).map(s -> s.health().summary()));
    }
}
