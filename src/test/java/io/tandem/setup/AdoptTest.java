package io.tandem.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import io.tandem.ConsoleApplication;
import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.fleet.NodeSpec;
import io.tandem.identity.Role;
import io.tandem.support.DemoFaults;
import io.tandem.support.TestUsers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Adopt against the demo lab, whose pairs are Pacemaker clusters laid out as setup's recipe lays them out (read by real
 * agents over simulated nodes). API: the proposal maps them with no difference, an acceptance saves the names into the
 * pair once the cluster is as proposed, bad or stale requests are refused by field. Wizard: the page offers Adopt
 * instead of a dead end, the proposal shows as a checklist with an accept form, accepting needs the pair's name typed.
 * Same context as SetupApiTest.
 */
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true"})
@AutoConfigureMockMvc
@Import(TestUsers.class)
class AdoptTest {

    private static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");

    @Autowired
    MockMvc mvc;
    @Autowired
    FleetService fleet;
    @Autowired
    TestUsers users;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void theDemoPairsAreProposedAsTheyAreWithNoDifferenceFromTheRecipe() throws Exception {
        String admin = users.token(users.create(Role.ADMIN));

        JsonNode hot = propose(DemoFaults.pair(fleet, "demo-hot"), admin);
        assertThat(hot.get("accepted").asBoolean()).isFalse();
        JsonNode proposal = hot.get("proposal");
        assertThat(proposal.get("mode").asString()).isEqualTo("HOT");
        assertThat(mapping(proposal.get("proposed"))).containsExactly("HOT", "nfo", "vip", "gate", null);
        assertThat(proposal.get("differences").size()).as(proposal.get("differences").toString()).isZero();
        assertThat(proposal.get("ambiguities").size()).as(proposal.get("ambiguities").toString()).isZero();
        assertThat(proposal.get("token").asString()).matches("[0-9a-f]{24}\\.\\d+");

        JsonNode cold = propose(DemoFaults.pair(fleet, "demo-cold"), admin).get("proposal");
        assertThat(cold.get("mode").asString()).isEqualTo("COLD");
        assertThat(mapping(cold.get("proposed"))).containsExactly("COLD", "nfo", "vip", "gate", "r0");
        List<String> roles = new ArrayList<>();
        cold.get("found").forEach(f -> roles.add(f.get("role").asString() + "=" + f.get("resource").asString()));
        assertThat(roles).contains("DRBD (Pacemaker)=r0", "file system=fs", "DRBD resource=r0", "fencing=demo-fence");
        assertThat(cold.get("differences").size()).as(cold.get("differences").toString()).isZero();
    }

    @Test
    void anAcceptedMappingIsSavedAuditedAndAStaleOneIsRefused() throws Exception {
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        String admin = users.token(users.create(Role.ADMIN));
        // the pair names the gate wrongly, as a pair registered by hand may
        fleet.adopt(hot.id(), new ClusterSpec(null, hot.mode(), null, hot.nfoResource(), hot.vipResource(), "old-gate", null, null),
                hot.version(), Map.of());
        try {
            JsonNode proposal = propose(hot, admin).get("proposal");
            assertThat(proposal.get("current").get("gateResource").asString()).isEqualTo("old-gate");
            assertThat(proposal.get("proposed").get("gateResource").asString()).isEqualTo("gate");
            String token = proposal.get("token").asString();

            String changed = "ffffffffffffffffffffffff" + token.substring(token.indexOf('.'));
            JsonNode refused = json.readTree(adopt(hot, admin, accept(changed, "HOT", "nfo", "vip", "gate"))
                    .andExpect(status().isConflict()).andReturn().getResponse().getContentAsString());
            assertThat(refused.get("type").asString()).isEqualTo("urn:tandem:problem:cluster-changed");

            JsonNode accepted = json.readTree(adopt(hot, admin, accept(token, "HOT", "nfo", "vip", "gate"))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
            assertThat(accepted.get("accepted").asBoolean()).isTrue();
            assertThat(accepted.get("pair").get("gateResource").asString()).isEqualTo("gate");
            assertThat(fleet.get(hot.id()).gateResource()).as("the monitor reads the pair by these names").isEqualTo("gate");

            JsonNode again = json.readTree(adopt(hot, admin, accept(token, "HOT", "nfo", "vip", "gate"))
                    .andExpect(status().isConflict()).andReturn().getResponse().getContentAsString());
            assertThat(again.get("type").asString()).as("the pair changed since that proposal").isEqualTo("urn:tandem:problem:stale-version");

            String audit = mvc.perform(get("/api/v1/audit").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            assertThat(audit).contains("CLUSTER_ADOPT", "old-gate", token);
        } finally {
            ClusterView now = fleet.get(hot.id());
            fleet.adopt(hot.id(), new ClusterSpec(null, hot.mode(), null, hot.nfoResource(), hot.vipResource(), hot.gateResource(),
                    null, null), now.version(), Map.of());
        }
    }

    @Test
    void badAcceptancesAreRefusedByFieldAndAdoptIsForAdmins() throws Exception {
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        String admin = users.token(users.create(Role.ADMIN));
        String token = propose(hot, admin).get("proposal").get("token").asString();

        assertThat(refusedFields(hot, admin, "{\"accept\": true}")).containsExactly("token");
        assertThat(refusedFields(hot, admin, "{\"accept\": true, \"token\": \"../etc\"}")).containsExactly("token");
        assertThat(refusedFields(hot, admin, "{\"accept\": true, \"token\": \"" + token + "\"}")).containsExactly("mapping");
        assertThat(refusedFields(hot, admin, accept(token, "HOT", "nope", "vip", "gate"))).containsExactly("mapping.nfoResource");
        assertThat(refusedFields(hot, admin, accept(token, "HOT", "nfo; rm -rf /", "vip", "gate"))).containsExactly("mapping.nfoResource");
        assertThat(refusedFields(hot, admin, accept(token, "HOT", "nfo", "vip", "vip"))).containsExactly("mapping.gateResource");
        assertThat(refusedFields(hot, admin, accept(token, null, "nfo", "vip", "gate"))).containsExactly("mapping.mode");
        assertThat(refusedFields(hot, admin, accept(token, "HOT", "nfo", "vip", "gate").replace("}}", ", \"drbdResource\": \"r9\"}}")))
                .containsExactly("mapping.drbdResource");
        String unreadable = adopt(hot, admin, accept(token, "WARM", "nfo", "vip", "gate")).andExpect(status().isBadRequest())
                .andReturn().getResponse().getContentAsString();
        assertThat(json.readTree(unreadable).get("type").asString()).isEqualTo("urn:tandem:problem:unreadable-body");
        assertThat(fleet.get(hot.id()).version()).as("nothing refused was saved").isEqualTo(hot.version());

        String operator = users.token(users.create(Role.OPERATOR));
        adopt(hot, operator, "").andExpect(status().isForbidden());
        adopt(hot, operator, accept(token, "HOT", "nfo", "vip", "gate")).andExpect(status().isForbidden());
    }

    @Test
    void theWizardOffersAdoptForAnExistingClusterAndAcceptsWithThePairsName() throws Exception {
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        MockHttpSession admin = TestUsers.login(mvc, users.create(Role.ADMIN));
        String base = "/clusters/" + hot.id() + "/setup";

        String page = wizardOnceTheMonitorHasRead(base, admin);
        assertThat(page).contains("This pair already runs a Pacemaker cluster", "hx-post=\"" + base + "/adopt\"", ">Adopt</button>");

        String proposal = mvc.perform(post(base + "/adopt").session(admin).with(csrf()).header("HX-Request", "true"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(proposal).contains("id=\"adopt-found\"", "id=\"adopt-as-recipe\"", "Mode: HOT", "id=\"adopt-accept\"",
                "Type demo-hot to confirm");
        Matcher token = TOKEN.matcher(proposal);
        assertThat(token.find()).isTrue();

        String unconfirmed = mvc.perform(post(base + "/adopt").session(admin).with(csrf()).header("HX-Request", "true")
                        .param("accept", "true").param("token", token.group(1)).param("mode", "HOT").param("nfoResource", "nfo")
                        .param("vipResource", "vip").param("gateResource", "gate").param("confirm", "demo"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(unconfirmed).contains("id=\"setup-refused\"", "Type the pair&#39;s name, demo-hot");
        assertThat(fleet.get(hot.id()).version()).isEqualTo(hot.version());

        String adopted = mvc.perform(post(base + "/adopt").session(admin).with(csrf()).header("HX-Request", "true")
                        .param("accept", "true").param("token", token.group(1)).param("mode", "HOT").param("nfoResource", "nfo")
                        .param("vipResource", "vip").param("gateResource", "gate").param("confirm", "demo-hot"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(adopted).contains("id=\"adopted\"", "demo-hot is now HOT with NFO nfo, VIP vip, gate gate");
    }

    @Test
    void aDryRunRefusedForTheExistingClusterOffersAdoptInstead() throws Exception {
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        MockHttpSession admin = TestUsers.login(mvc, users.create(Role.ADMIN));
        String refused = mvc.perform(post("/clusters/" + hot.id() + "/setup/dry-run").session(admin).with(csrf())
                        .header("HX-Request", "true").param("mode", "HOT").param("clusterName", "demo")
                        .param("activeNode", hot.nodes().get(0).name()).param("outputs", "udp:127.0.0.1:5514")
                        .param("haclusterPassword", SetupForms.PASSWORD).param("fenceNone", "true"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("already belongs to a cluster", "id=\"adopt-instead\"", "Adopt it instead");
    }

    /** Setup names DRBD by the pair's registered resource (the monitor reads it by that name): the form starts from it. */
    @Test
    void aColdPairsWizardStartsFromItsRegisteredDrbdResource() throws Exception {
        // nodes at a closed port: the page is the same whether they answer; the name is not DRBD's usual r0
        ClusterView cold = fleet.create(new ClusterSpec("cold-wizard-" + UUID.randomUUID().toString().substring(0, 8),
                ClusterMode.COLD, null, null, null, null, "nfo-data", List.of(
                        new NodeSpec("nfo-a", "127.0.0.1", AccessKind.AGENT, null, null, 1, null, null, null, null, null, null),
                        new NodeSpec("nfo-b", "127.0.0.1", AccessKind.AGENT, null, null, 1, null, null, null, null, null, null))));
        MockHttpSession admin = TestUsers.login(mvc, users.create(Role.ADMIN));
        String page = mvc.perform(get("/clusters/" + cold.id() + "/setup").session(admin)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("name=\"drbdResource\" value=\"nfo-data\"");
    }

    /** The page offers adopt from the monitor's readings: the demo's first reading comes within seconds of the start. */
    private String wizardOnceTheMonitorHasRead(String url, MockHttpSession session) throws Exception {
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        String page;
        do {
            page = mvc.perform(get(url).session(session)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            if (page.contains("id=\"existing-cluster\"")) {
                return page;
            }
            Thread.sleep(250);
        } while (Instant.now().isBefore(until));
        return page;
    }

    private JsonNode propose(ClusterView pair, String token) throws Exception {
        return json.readTree(adopt(pair, token, "").andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    private List<String> refusedFields(ClusterView pair, String token, String body) throws Exception {
        JsonNode problem = json.readTree(adopt(pair, token, body).andExpect(status().isBadRequest()).andReturn().getResponse()
                .getContentAsString());
        assertThat(problem.get("type").asString()).isIn("urn:tandem:problem:invalid-adoption");
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }

    private static List<String> mapping(JsonNode m) {
        List<String> values = new ArrayList<>();
        for (String field : List.of("mode", "nfoResource", "vipResource", "gateResource", "drbdResource")) {
            values.add(m.get(field) == null || m.get(field).isNull() ? null : m.get(field).asString());
        }
        return values;
    }

    private static String accept(String token, String mode, String nfo, String vip, String gate) {
        return """
                {"accept": true, "token": "%s", "mapping": {"mode": %s, "nfoResource": "%s", "vipResource": "%s", "gateResource": "%s"}}"""
                .formatted(token, mode == null ? "null" : "\"" + mode + "\"", nfo, vip, gate);
    }

    private ResultActions adopt(ClusterView pair, String token, String body) throws Exception {
        var request = post("/api/v1/clusters/" + pair.id() + "/setup/adopt").header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        return mvc.perform(body.isEmpty() ? request : request.contentType(MediaType.APPLICATION_JSON).content(body));
    }
}
