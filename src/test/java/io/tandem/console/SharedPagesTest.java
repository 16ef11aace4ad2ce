package io.tandem.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.console.web.SharedPages;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetRulesTest;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;

/**
 * The overview, a pair's page and its health page are drawn once per change of what they show and role set, and handed
 * to every user: each copy carries its own user's name and CSRF token, never another's, and the controls of its own
 * role; a change shows at the next request.
 */
@ConsoleTest
class SharedPagesTest {

    private static final Pattern HEADER_TOKEN = Pattern.compile("X-CSRF-TOKEN&quot;: &quot;([^&]+)&quot;");
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    FleetService fleet;
    @Autowired
    SharedPages pages;

    @Test
    void eachUserGetsTheirOwnNameAndTokenInASharedDrawing() throws Exception {
        ClusterView pair = pair("shared");
        TestUsers.Credentials alice = users.create(Role.ADMIN);
        TestUsers.Credentials bob = users.create(Role.ADMIN);
        MockHttpSession aliceSession = TestUsers.login(mvc, alice);
        MockHttpSession bobSession = TestUsers.login(mvc, bob);
        for (String path : List.of("/", "/clusters/" + pair.id(), "/clusters/" + pair.id() + "/health")) {
            assertThat(sharedOnce(path, aliceSession, bobSession)).as(path + ": the same data for the same role is drawn once").isTrue();
            String forAlice = page(path, aliceSession);
            String forBob = page(path, bobSession);

            assertThat(forAlice).as(path).contains(">" + alice.username() + "<").doesNotContain(bob.username());
            assertThat(forBob).as(path).contains(">" + bob.username() + "<").doesNotContain(alice.username());
            assertThat(forAlice + forBob).as(path).doesNotContain("tandem-csrf-").doesNotContain("tandem-user-");

            List<String> aliceTokens = tokens(forAlice);
            List<String> bobTokens = tokens(forBob);
            assertThat(aliceTokens).as(path + ": the htmx header and the logout form").hasSizeGreaterThanOrEqualTo(2);
            assertThat(bobTokens).hasSameSizeAs(aliceTokens);
            for (String token : aliceTokens) {
                assertThat(forBob).as(path).doesNotContain(token);
            }
            // the token in Bob's copy is Bob's: his session accepts it, Alice's refuses it
            mvc.perform(post("/logout").session(aliceSession).header("X-CSRF-TOKEN", bobTokens.get(0))).andExpect(status().isForbidden());
        }
        mvc.perform(post("/logout").session(bobSession).header("X-CSRF-TOKEN", tokens(page("/", bobSession)).get(0)))
                .andExpect(status().is3xxRedirection());
        mvc.perform(post("/logout").session(aliceSession).param("_csrf", tokens(page("/clusters/" + pair.id(), aliceSession)).get(1)))
                .andExpect(status().is3xxRedirection());
    }

    @Test
    void aViewerNeverGetsTheControlsDrawnForAnAdmin() throws Exception {
        ClusterView pair = pair("roles");
        MockHttpSession admin = TestUsers.login(mvc, users.create(Role.ADMIN));
        MockHttpSession viewer = TestUsers.login(mvc, users.create(Role.VIEWER));
        assertThat(page("/", admin)).contains("id=\"register-pair\"");
        assertThat(page("/clusters/" + pair.id(), admin)).contains("id=\"delete-cluster\"");
        assertThat(page("/", viewer)).contains(pair.name()).doesNotContain("id=\"register-pair\"").doesNotContain("/admin/users");
        assertThat(page("/clusters/" + pair.id(), viewer)).doesNotContain("id=\"delete-cluster\"").doesNotContain("id=\"edit-cluster\"");
        assertThat(page("/", admin)).as("the admin's drawing is still the admin's").contains("id=\"register-pair\"");
    }

    @Test
    void aChangeShowsAtTheNextRequest() throws Exception {
        ClusterView pair = pair("before");
        MockHttpSession viewer = TestUsers.login(mvc, users.create(Role.VIEWER));
        assertThat(page("/clusters/" + pair.id(), viewer)).contains(pair.name());
        assertThat(page("/clusters/" + pair.id() + "/health", viewer)).contains(pair.name());
        assertThat(page("/", viewer)).contains(pair.name());

        String renamed = "after-" + UUID.randomUUID().toString().substring(0, 8);
        fleet.update(pair.id(), new ClusterSpec(renamed, ClusterMode.HOT, "described now", null, null, null, null, pair.nodes().stream()
                .map(n -> FleetRulesTest.node(n.name(), n.address())).toList()), null);
        assertThat(page("/clusters/" + pair.id(), viewer)).contains(renamed).contains("described now").doesNotContain(pair.name());
        assertThat(page("/clusters/" + pair.id() + "/health", viewer)).contains(renamed).doesNotContain(pair.name());
        assertThat(page("/", viewer)).contains(renamed).doesNotContain(pair.name());

        ClusterView added = pair("added");
        assertThat(page("/", viewer)).contains(added.name()).contains(renamed);
    }

    /**
     * Whether the second user's request was served from the first one's drawing. The monitor judges pairs meanwhile
     * (each judgement is a new health panel and card list, so a new drawing): up to five tries for a quiet moment.
     */
    private boolean sharedOnce(String path, MockHttpSession first, MockHttpSession second) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            page(path, first);
            long drawn = pages.drawn();
            page(path, second);
            if (pages.drawn() == drawn) {
                return true;
            }
        }
        return false;
    }

    private String page(String path, MockHttpSession session) throws Exception {
        return mvc.perform(get(path).session(session)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    /** The CSRF tokens a page carries: in its htmx headers, then in its forms' hidden fields. */
    private static List<String> tokens(String html) {
        List<String> tokens = new ArrayList<>();
        for (Pattern pattern : List.of(HEADER_TOKEN, FORM_TOKEN)) {
            Matcher matcher = pattern.matcher(html);
            while (matcher.find()) {
                tokens.add(matcher.group(1));
            }
        }
        return tokens;
    }

    private ClusterView pair(String prefix) {
        return fleet.create(new ClusterSpec(prefix + "-" + UUID.randomUUID().toString().substring(0, 8), ClusterMode.HOT, null, null,
                null, null, null, List.of(FleetRulesTest.node("nfo-a", "10.9.0.1"), FleetRulesTest.node("nfo-b", "10.9.0.2"))));
    }
}
