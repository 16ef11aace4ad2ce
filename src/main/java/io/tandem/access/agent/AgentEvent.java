package io.tandem.access.agent;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * One event from an agent's stream.
 *
 * @param id the event's id, to resume after it; null for the agent's replay-gap notice
 * @param type e.g. {@code service.state}; {@code agent.replay-gap} means events were missed and state must be re-read
 * @param time when the agent published it
 * @param payload the event's body as the publisher wrote it
 */
public record AgentEvent(String id, String type, Instant time, JsonNode payload) {
}
