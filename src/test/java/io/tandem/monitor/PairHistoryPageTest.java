package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import com.jayway.jsonpath.JsonPath;

import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetRulesTest;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;

/** A pair's history page and API: newest first, paged, filtered by node, kind, severity and range. */
@ConsoleTest
class PairHistoryPageTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    FleetService fleet;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TestUsers users;

    ClusterView pair;
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void aPairWithSeventyEvents() {
        pair = fleet.create(new ClusterSpec("history-" + UUID.randomUUID(), ClusterMode.HOT, null, null, null, null, null,
                List.of(FleetRulesTest.node("nfo-a", "10.5.0.1"), FleetRulesTest.node("nfo-b", "10.5.0.2"))));
        for (int i = 0; i < 60; i++) { // one stale-data finding raised on nfo-b every minute for the last hour
            insert(now.minus(60 - i, ChronoUnit.MINUTES), "RAISED", "nfo-b", "WARNING", "stale-data", "Data from nfo-b is old #" + i);
        }
        for (int i = 0; i < 10; i++) {
            insert(now.minus(90 + i, ChronoUnit.MINUTES), "ROLE", "nfo-a", null, "ACTIVE", "nfo-a ACTIVE #" + i);
        }
        insert(now.minus(3, ChronoUnit.DAYS), "RAISED", "nfo-a", "CRITICAL", "split-brain-output", "long ago");
    }

    @Test
    void theEventsAreNewestFirstPagedAndFiltered() throws Exception {
        String first = events(page("range", "24h"));
        assertThat(first).contains("70 in this range, newest first").contains("1–50 of 70").contains("id=\"older\"")
                .doesNotContain("id=\"newer\"").doesNotContain("long ago");
        assertThat(first.indexOf("old #59")).as("newest first").isPositive().isLessThan(first.indexOf("old #58"));

        String second = events(page("range", "24h", "page", "1"));
        assertThat(second).contains("51–70 of 70").contains("id=\"newer\"").contains("nfo-a ACTIVE #9").doesNotContain("old #59");

        assertThat(page("range", "24h", "node", "nfo-a")).contains("10 in this range");
        assertThat(events(page("range", "24h", "node", "nfo-a"))).doesNotContain("old #");
        assertThat(page("range", "24h", "kind", "ROLE")).contains("10 in this range");
        assertThat(page("range", "24h", "kind", "stale-data", "severity", "WARNING")).contains("60 in this range");
        assertThat(page("range", "7d", "severity", "CRITICAL")).contains("1 in this range").contains("long ago");
    }

    @Test
    void aChosenRangeZoomsThePictureAndTheEvents() throws Exception {
        String from = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(java.time.ZoneOffset.UTC)
                .format(now.minus(10, ChronoUnit.MINUTES)); // the minute is floored: the events of the last 10 minutes
        String zoomed = page("from", from);
        assertThat(zoomed).contains("10 in this range").contains("class=\"zoom-link\"").contains("id=\"timeline\"");
        assertThat(mvc.perform(get("/clusters/" + pair.id() + "/history").param("from", "yesterday").with(user("v").roles("VIEWER")))
                .andReturn().getResponse().getStatus()).isEqualTo(400);
    }

    @Test
    void aClickedStretchOpensThePageThatHoldsItsEvent() throws Exception {
        // nfo-a's last role change, 90 minutes ago, begins its lane's stretch; newest first, it is on the second page
        long oldest = jdbc.queryForObject("select id from monitor_event where cluster_id = ? and text = 'nfo-a ACTIVE #0'",
                Long.class, pair.id());
        String picture = page("range", "24h");
        assertThat(picture).as("the stretch links to the page with its event")
                .contains("/clusters/" + pair.id() + "/history?range=24h&amp;event=" + oldest + "#ev-" + oldest);
        String landed = events(page("range", "24h", "event", Long.toString(oldest)));
        assertThat(landed).contains("51–70 of 70").contains("id=\"ev-" + oldest + "\"");

        // the role nfo-a took before a one-hour range begins its lane: shown on its own, since the table leaves it out
        long role = jdbc.queryForObject("select max(id) from monitor_event where cluster_id = ? and kind = 'ROLE'", Long.class, pair.id());
        String hour = page("range", "1h", "event", Long.toString(role));
        assertThat(hour).contains("id=\"history-outside\"").contains("id=\"ev-" + role + "\"");
        assertThat(page("range", "1h")).doesNotContain("id=\"history-outside\"");
    }

    @Test
    void theApiFiltersAndPagesWithTheTotalInAHeader() throws Exception {
        String viewer = users.token(users.create(Role.VIEWER));
        String json = mvc.perform(get("/api/v1/clusters/" + pair.id() + "/history").param("kind", "stale-data")
                        .param("limit", "5").param("offset", "5").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                .andExpect(status().isOk()).andExpect(header().string("X-Total-Count", "60"))
                .andReturn().getResponse().getContentAsString();
        assertThat(JsonPath.<List<String>>read(json, "$[*].text"))
                .containsExactly("Data from nfo-b is old #54", "Data from nfo-b is old #53", "Data from nfo-b is old #52",
                        "Data from nfo-b is old #51", "Data from nfo-b is old #50");
    }

    /** The events part of the page (the picture above it names every finding in the range). */
    private static String events(String page) {
        return page.substring(page.indexOf("id=\"history-count\""));
    }

    private String page(String... params) throws Exception {
        var request = get("/clusters/" + pair.id() + "/history").with(user("v").roles("VIEWER"));
        for (int i = 0; i < params.length; i += 2) {
            request.param(params[i], params[i + 1]);
        }
        return mvc.perform(request).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    private void insert(Instant at, String kind, String node, String severity, String subject, String text) {
        jdbc.update("insert into monitor_event (cluster_id, occurred_at, kind, node, severity, subject, text) values (?, ?, ?, ?, ?, ?, ?)",
                pair.id(), Timestamp.from(at), kind, node, severity, subject, text);
    }
}
