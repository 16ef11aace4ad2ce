package io.tandem.agent;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.tandem.agent.wire.HealthReport;
import io.tandem.node.Version;

/** Answers "is this agent alive, and is it the one you pinned?" without touching any node tool. */
public final class AgentHealth {

    private final AgentState state;
    private final Clock clock;
    private final Instant startedAt;
    private final String hostName;

    public AgentHealth(AgentState state, Clock clock) {
        this.state = state;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.hostName = LocalHost.name();
    }

    public HealthReport report() {
        boolean stateDirOk = Files.isDirectory(state.dir()) && Files.isWritable(state.dir());
        return new HealthReport(stateDirOk ? "UP" : "DEGRADED", version(), startedAt,
                Duration.between(startedAt, clock.instant()).toSeconds(), hostName, state.fingerprint(), stateDirOk);
    }

    /** The jar's Implementation-Version; a build run from classes (tests, IDE) has none: "development". */
    public static String version() {
        return Version.ofThisBuild();
    }
}
