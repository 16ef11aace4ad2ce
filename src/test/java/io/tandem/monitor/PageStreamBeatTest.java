package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetRulesTest;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;

/**
 * A page stream that has nothing to push still beats, with the console's clock: that is how an open page tells a quiet
 * console from a dead one (static/js/live.js) and counts data ages on the console's clock.
 */
@ConsoleTest
class PageStreamBeatTest {

    private static final Pattern BEAT = Pattern.compile("event:beat\ndata:(\\d+)\n");

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    FleetService fleet;

    @Test
    void quietPairAndFleetStreamsBeatEveryTwoSecondsAndAskForAQuickReconnect() throws Exception {
        ClusterView pair = fleet.create(new ClusterSpec("beat-" + UUID.randomUUID(), ClusterMode.HOT, null, null, null, null, null,
                List.of(FleetRulesTest.node("nfo-a", "10.6.0.1"), FleetRulesTest.node("nfo-b", "10.6.0.2"))));
        MockHttpSession viewer = TestUsers.login(mvc, users.create(Role.VIEWER));
        for (String url : List.of("/clusters/" + pair.id() + "/events", "/fleet/events")) {
            long before = System.currentTimeMillis();
            MockHttpServletResponse stream = mvc.perform(get(url).session(viewer)).andExpect(request().asyncStarted())
                    .andReturn().getResponse();
            String body = awaitBeats(stream, 2);
            assertThat(body).as(url).contains("retry:1000\nevent:beat\n");
            Matcher beat = BEAT.matcher(body);
            assertThat(beat.find()).isTrue();
            assertThat(Long.parseLong(beat.group(1))).as("the console's clock").isBetween(before - 1000, System.currentTimeMillis() + 1000);
        }
    }

    /** Nothing changes on the pair, so only beats arrive; the second one 2 s after the first (bounded generously). */
    private static String awaitBeats(MockHttpServletResponse stream, int count) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String body = stream.getContentAsString();
        while (body.split("event:beat", -1).length - 1 < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            body = stream.getContentAsString();
        }
        assertThat(body.split("event:beat", -1).length - 1).as(body).isGreaterThanOrEqualTo(count);
        return body;
    }
}
