package io.tandem.monitor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templateresolver.StringTemplateResolver;

import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetRulesTest;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.MonitorProperties;
import io.tandem.monitor.PairStates;
import io.tandem.support.ConsoleTest;

/** A health panel that cannot be drawn reaches the open page as a panel saying so, never as silence. */
@ConsoleTest
class PairStreamFailureTest {

    @Autowired
    FleetService fleet;
    @Autowired
    PairStates states;
    @Autowired
    MonitorProperties properties;
    @Autowired
    Clock clock;
    @Autowired
    StreamBeats beats;

    @Test
    void aPanelThatCannotBeDrawnIsPushedAsAnErrorPanel() throws Exception {
        ClusterView pair = fleet.create(new ClusterSpec("undrawn-" + UUID.randomUUID().toString().substring(0, 8), ClusterMode.HOT,
                null, null, null, null, null, List.of(FleetRulesTest.node("nfo-a", "10.7.0.1"), FleetRulesTest.node("nfo-b", "10.7.0.2"))));
        SpringTemplateEngine broken = new SpringTemplateEngine();
        broken.setTemplateResolver(new StringTemplateResolver() { // a panel whose drawing fails, as the drift link once did
            @Override
            protected org.thymeleaf.templateresource.ITemplateResource computeTemplateResource(org.thymeleaf.IEngineConfiguration configuration,
                    String ownerTemplate, String template, java.util.Map<String, Object> attributes) {
                return new org.thymeleaf.templateresource.StringTemplateResource(
                        "<section th:fragment=\"panel\" th:text=\"${cluster.noSuchFact}\">x</section>");
            }
        });
        PairStream stream = new PairStream(new HealthPanels(broken, states, properties, clock), fleet, states, clock, beats);
        stream.start();
        try {
            LinkedBlockingQueue<String> sent = new LinkedBlockingQueue<>();
            stream.open(pair.id(), new SseEmitter() {
                @Override
                public void send(SseEventBuilder builder) {
                    StringBuilder text = new StringBuilder();
                    builder.build().forEach(part -> text.append(part.getData()));
                    sent.add(text.toString());
                }
            });
            stream.observed(pair.id());
            String pushed = null;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline && (pushed == null || !pushed.contains("health"))) { // heartbeats come too
                pushed = sent.poll(1, TimeUnit.SECONDS);
            }
            assertThat(pushed).as("a push arrives").isNotNull();
            assertThat(pushed).contains("id=\"health\"").contains("could not be drawn").contains("data-health=\"UNDRAWN\"")
                    .contains("/api/v1/clusters/" + pair.id() + "/state");
        } finally {
            stream.stop();
        }
    }
}
