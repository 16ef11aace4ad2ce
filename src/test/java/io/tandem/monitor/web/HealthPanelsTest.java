package io.tandem.monitor.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.thymeleaf.spring6.SpringTemplateEngine;

import io.tandem.fleet.ClusterMode;
import io.tandem.support.MovableClock;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetRulesTest;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.monitor.MonitorProperties;
import io.tandem.monitor.NodeObservation;
import io.tandem.monitor.PairStates;
import io.tandem.node.NodeAccessException;
import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;

/**
 * A pair's health panel is drawn once per judgement and handed to every page, fragment and push until the next one;
 * a new judgement is drawn at once, and each copy carries the console's clock at the time it is handed out.
 */
@ConsoleTest
class HealthPanelsTest {

    @Autowired
    FleetService fleet;
    @Autowired
    PairStates states;
    @Autowired
    MonitorProperties properties;
    @Autowired
    SpringTemplateEngine templates;
    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;

    @Test
    void oneDrawingPerJudgementWithTheClockOfEachCopy() {
        ClusterView pair = pair("panels");
        quietly(pair, "connection refused", clock -> {
            HealthPanels panels = new HealthPanels(templates, states, properties, clock);
            String first = panels.panel(fleet.get(pair.id()));
            long drawnAt = clock.millis();
            clock.advance(Duration.ofSeconds(5));
            String second = panels.panel(fleet.get(pair.id())); // the same registration, read anew
            return () -> {
                assertThat(panels.drawings()).isEqualTo(1);
                assertThat(first).contains("connection refused").contains("data-server-now=\"" + drawnAt + "\"");
                assertThat(second).isEqualTo(first.replace("data-server-now=\"" + drawnAt + "\"",
                        "data-server-now=\"" + clock.millis() + "\""));
            };
        });
        quietly(pair, "no route to host", clock -> {
            HealthPanels panels = new HealthPanels(templates, states, properties, clock);
            panels.panel(pair);
            unreachable(pair, "host is down", clock.instant());
            String judgedAgain = panels.panel(pair);
            return () -> {
                assertThat(panels.drawings()).as("a new judgement is drawn at once").isEqualTo(2);
                assertThat(judgedAgain).contains("host is down").doesNotContain("no route to host");
            };
        });
    }

    /**
     * Pages and pushes asking for a panel while it is drawn wait for that drawing instead of each drawing the same
     * judgement again (under load, each drawing slowed the others and all of them were the same).
     */
    @Test
    void manyAskingDuringADrawingShareIt() {
        ClusterView pair = pair("burst");
        quietly(pair, "connection refused", clock -> {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
            // the first drawing reads the clock first, and is held there while the others ask
            java.time.Clock held = new java.time.Clock() {
                @Override
                public java.time.ZoneId getZone() {
                    return clock.getZone();
                }

                @Override
                public java.time.Clock withZone(java.time.ZoneId zone) {
                    return clock.withZone(zone);
                }

                @Override
                public Instant instant() {
                    if (asked.incrementAndGet() == 1) {
                        await(release);
                    }
                    return clock.instant();
                }
            };
            HealthPanels panels = new HealthPanels(templates, states, properties, held);
            List<Thread> askers = new java.util.ArrayList<>();
            List<String> got = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            for (int i = 0; i < 9; i++) {
                Thread asker = new Thread(() -> got.add(panels.panel(pair)));
                askers.add(asker);
                asker.start();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            // until every asker is either waiting (for a drawing, or the first one held) or done
            while (askers.stream().anyMatch(t -> t.getState() == Thread.State.NEW || t.getState() == Thread.State.RUNNABLE
                    || t.getState() == Thread.State.BLOCKED)
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            release.countDown();
            for (Thread asker : askers) {
                asker.join(10_000);
            }
            return () -> {
                assertThat(got).hasSize(9).allSatisfy(html -> assertThat(html).contains("connection refused"));
                assertThat(panels.drawings()).as("drawings of one judgement asked for 9 times at once").isEqualTo(1);
            };
        });
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void anEditedRegistrationIsDrawnAnew() {
        ClusterView pair = pair("edited");
        ClusterView edited = fleet.update(pair.id(), new ClusterSpec(pair.name(), ClusterMode.HOT, "now described", null, null, null,
                null, List.of(FleetRulesTest.node("nfo-a", "10.8.0.1"), FleetRulesTest.node("nfo-b", "10.8.0.2"))), null);
        quietly(pair, "connection refused", clock -> {
            HealthPanels panels = new HealthPanels(templates, states, properties, clock);
            panels.panel(pair);
            panels.panel(edited);
            panels.panel(edited);
            return () -> assertThat(panels.drawings()).isEqualTo(2);
        });
    }

    @Test
    void thePageTheFragmentAndThePushShowTheSamePanel() throws Exception {
        ClusterView pair = pair("shared");
        MockHttpSession viewer = TestUsers.login(mvc, users.create(Role.VIEWER));
        quietly(pair, "connection refused", clock -> {
            String page = fetch(pair, viewer, false);
            String fragment = fetch(pair, viewer, true);
            return () -> {
                assertThat(page).contains("<title>" + pair.name() + " health · Tandem</title>").contains("← " + pair.name());
                assertThat(page.split("id=\"health\"", -1)).as("the panel appears once in the page").hasSize(2);
                assertThat(fragment).startsWith("<section").contains("id=\"health\"").contains("connection refused")
                        .doesNotContain("<html");
                assertThat(withoutClock(page)).contains(withoutClock(fragment));
            };
        });
    }

    /** What a scenario found, checked once no reading of the monitor's own came in between. */
    private interface Scenario {
        Runnable run(MovableClock clock) throws Exception;
    }

    /** The observations this test made: a judgement holding any other was the monitor's own reading. */
    private final java.util.Set<NodeObservation> ours = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /**
     * Judges the pair's nodes unreachable for {@code why}, then runs the scenario and checks what it found. The monitor
     * reads registered pairs too (every few seconds): a scenario during which it read the pair is run again.
     */
    private void quietly(ClusterView pair, String why, Scenario scenario) {
        for (int attempt = 0; attempt < 5; attempt++) {
            MovableClock clock = new MovableClock(Instant.now());
            unreachable(pair, why, clock.instant());
            Runnable check;
            try {
                check = scenario.run(clock);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            if (ours.containsAll(states.state(pair.id()).orElseThrow().observations().values())) {
                check.run();
                return;
            }
        }
        throw new AssertionError("the monitor read the pair during every attempt");
    }

    private String fetch(ClusterView pair, MockHttpSession viewer, boolean fragment) throws Exception {
        var request = get("/clusters/" + pair.id() + "/health").session(viewer);
        if (fragment) {
            request = request.header("HX-Request", "true");
        }
        var result = mvc.perform(request).andExpect(status().isOk());
        if (fragment) {
            result.andExpect(content().contentTypeCompatibleWith("text/html"));
        }
        return result.andReturn().getResponse().getContentAsString();
    }

    private ClusterView pair(String prefix) {
        return fleet.create(new ClusterSpec(prefix + "-" + UUID.randomUUID().toString().substring(0, 8), ClusterMode.HOT, null, null,
                null, null, null, List.of(FleetRulesTest.node("nfo-a", "10.8.0.1"), FleetRulesTest.node("nfo-b", "10.8.0.2"))));
    }

    private void unreachable(ClusterView pair, String why, Instant at) {
        for (ClusterView.NodeView node : pair.nodes()) {
            NodeObservation observation = NodeObservation.failed(node.name(),
                    new NodeAccessException.Unreachable("connect to " + node.address() + ":7443: " + why, null), at);
            ours.add(observation);
            states.observed(pair, node.id(), observation);
        }
    }

    private static String withoutClock(String html) {
        return html.replaceAll("data-server-now=\"\\d+\"", "data-server-now=\"\"");
    }
}
