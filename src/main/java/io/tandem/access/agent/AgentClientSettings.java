package io.tandem.access.agent;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the console waits for an agent, and how much it will read from one ({@code tandem.agent-client.*}).
 *
 * @param connect TCP connect plus TLS handshake
 * @param request from sending a request to the end of its answer's headers (for the event stream: until the
 *                stream is open)
 * @param eventsIdle an open event stream with no byte (not even a heartbeat) for this long is taken as dead;
 *                   it must exceed the agent's {@code events.heartbeat-seconds}
 * @param maxAnswerBytes the largest answer body, or event, the client accepts; protects the console from a
 *                       broken or hostile node
 * @param operation for a mutating call (pcs, service, configuration changes): until the end of its answer's headers.
 *                  Longer than {@code request}, as the agent runs the command before it answers (pcs resource move
 *                  waits for the cluster; the agent gives a command 120 s); the Pacemaker lab measured pcs moves of
 *                  15 s and more on a loaded host, which a 15 s wait turned into failed operations and clean-ups
 */
@ConfigurationProperties("tandem.agent-client")
public record AgentClientSettings(
        @DefaultValue("5s") Duration connect,
        @DefaultValue("15s") Duration request,
        @DefaultValue("45s") Duration eventsIdle,
        @DefaultValue("33554432") int maxAnswerBytes,
        @DefaultValue("130s") Duration operation) {

    /** Mutating calls wait as long as reads. */
    public AgentClientSettings(Duration connect, Duration request, Duration eventsIdle, int maxAnswerBytes) {
        this(connect, request, eventsIdle, maxAnswerBytes, request);
    }

    @org.springframework.boot.context.properties.bind.ConstructorBinding
    public AgentClientSettings {
        requirePositive("operation", operation);
        requirePositive("connect", connect);
        requirePositive("request", request);
        requirePositive("eventsIdle", eventsIdle);
        if (maxAnswerBytes < 1024) {
            throw new IllegalArgumentException("maxAnswerBytes must be at least 1024, got " + maxAnswerBytes);
        }
    }

    /** Loopback and LAN defaults: quick to notice a dead node, patient with a busy one. */
    public static AgentClientSettings defaults() {
        return new AgentClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(45), 32 * 1024 * 1024,
                Duration.ofSeconds(130));
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }
}
