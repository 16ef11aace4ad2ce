package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

import io.tandem.agent.wire.AgentProtocol;

class AgentEventsTest {

    private final AgentEvents events = new AgentEvents(new AgentConfig.Events(Duration.ofSeconds(1), 3, 2, 2, Duration.ofMillis(500)),
            JsonMapper.builder().build(), Clock.systemUTC());

    @Test
    void aSubscriberReceivesEventsInOrderWithTimeAndPayload() throws Exception {
        try (AgentEvents.Subscription subscription = events.subscribe(null)) {
            AgentEvents.Event published = events.publish("service.state", Map.of("state", "active"));

            AgentEvents.Event received = subscription.next(Duration.ofSeconds(1));

            assertThat(received).isEqualTo(published);
            assertThat(received.data()).contains("\"payload\":{\"state\":\"active\"}").contains("\"time\":\"");
        }
    }

    @Test
    void resumingAfterAnIdReplaysOnlyLaterEvents() throws Exception {
        AgentEvents.Event first = events.publish("gate.changed", 1);
        AgentEvents.Event second = events.publish("gate.changed", 2);
        AgentEvents.Event third = events.publish("gate.changed", 3);

        try (AgentEvents.Subscription subscription = events.subscribe(first.id())) {
            assertThat(drain(subscription)).containsExactly(second, third);
        }
    }

    @Test
    void resumingFromAnIdNoLongerHeldOrFromAnotherProcessStartsWithAGapNotice() throws Exception {
        AgentEvents.Event first = events.publish("cib.changed", 1);
        for (int i = 2; i <= 5; i++) {
            events.publish("cib.changed", i); // the replay buffer holds 3: the first and second are gone
        }

        try (AgentEvents.Subscription subscription = events.subscribe(first.id())) {
            List<AgentEvents.Event> replay = drain(subscription);
            assertThat(replay).extracting(AgentEvents.Event::type)
                    .containsExactly(AgentProtocol.REPLAY_GAP_EVENT, "cib.changed", "cib.changed", "cib.changed");
            assertThat(replay.get(0).id()).isNull();
        }
        try (AgentEvents.Subscription subscription = events.subscribe("someotherboot-7")) {
            assertThat(drain(subscription).get(0).type()).isEqualTo(AgentProtocol.REPLAY_GAP_EVENT);
        }
    }

    @Test
    void aSlowSubscriberIsDroppedAndThePublisherNeverWaits() throws Exception {
        AgentEvents.Subscription slow = events.subscribe(null);
        for (int i = 0; i < 50; i++) {
            events.publish("drbd.changed", i); // client-queue is 2: this would block forever if publish waited
        }

        assertThat(slow.dropped()).isTrue();
        assertThat(events.subscriberCount()).isZero();
        assertThat(drain(slow)).isEmpty();
        assertThat(slow.ended()).isTrue();
    }

    @Test
    void subscribersAreBoundedAndClosingFreesASlot() throws Exception {
        AgentEvents.Subscription one = events.subscribe(null);
        events.subscribe(null);

        assertThatThrownBy(() -> events.subscribe(null)).isInstanceOf(AgentEvents.TooManySubscribers.class);
        one.close();
        events.subscribe(null).close();
    }

    @Test
    void eventTypesAreDottedLowercaseNamesSoTheyCannotBreakTheStreamFraming() {
        assertThatThrownBy(() -> events.publish("service.state\ndata: forged", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> events.publish("Service", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<AgentEvents.Event> drain(AgentEvents.Subscription subscription) throws InterruptedException {
        List<AgentEvents.Event> events = new ArrayList<>();
        AgentEvents.Event event;
        while ((event = subscription.next(Duration.ofMillis(50))) != null) {
            events.add(event);
        }
        return events;
    }
}
