package io.tandem.monitor.api;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.console.Rejected;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.AgentBuild;
import io.tandem.monitor.Finding;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.Survival;

@RestController
@Tag(name = "Monitor", description = "What Tandem derived from the nodes: roles, findings, parity")
class PairStateApi {

    private final FleetService fleet;
    private final PairStates states;
    private final Clock clock;

    PairStateApi(FleetService fleet, PairStates states, Clock clock) {
        this.fleet = fleet;
        this.states = states;
        this.clock = clock;
    }

    /**
     * @param agent the node's Tandem agent against this console's build
     */
    record NodeRoleView(String node, String role, String why, AgentView agent) {
    }

    /**
     * @param version what the agent reports, or "unknown" (an agent from before it said), "unreadable" (not a version),
     *        "not read", "none (SSH)"
     * @param standing NO_AGENT, NOT_READ, UP_TO_DATE, OLDER, UNREADABLE or UNCOMPARED (a development build)
     * @param console this console's build
     */
    record AgentView(String version, String standing, String console) {
        static AgentView of(AgentBuild build) {
            return new AgentView(build.label(), build.standing().name(), build.console());
        }
    }

    record FindingView(String severity, String kind, String cause, String impact, List<String> details, String node) {
        static FindingView of(Finding f) {
            return new FindingView(f.severity().name(), f.kind().id(), f.cause(), f.impact(), f.details(), f.node());
        }
    }

    record ParitySummary(double readiness, int inUseOnActive, int readyOnPassive, int missingOnPassive, int conflicts,
                         int stale, double exposedRecordsPerSecond) {
    }

    record StateView(UUID clusterId, String cluster, String health, String summary, Instant evaluatedAt, long ageSeconds,
                     List<NodeRoleView> nodes, List<String> survival, List<FindingView> findings, ParitySummary parity) {
    }

    @GetMapping("/api/v1/clusters/{id}/state")
    @Operation(summary = "The pair's health now: each node's role, survival of losing each node, findings (worst first), template parity")
    StateView state(@PathVariable UUID id) {
        fleet.get(id); // 404 for an unknown pair
        var state = states.state(id).orElseThrow(() -> new Rejected(Rejected.Kind.CONFLICT, "not-read-yet", List.of(),
                "Tandem has not read this pair's nodes yet (is the monitor enabled?)."));
        var health = state.health();
        var parity = state.parity();
        return new StateView(id, health.cluster(), health.worst().map(Enum::name).orElse("OK"), health.summary(), health.evaluatedAt(),
                io.tandem.monitor.NodeObservation.oldestAgeSeconds(state.observations().values(), clock.instant()),
                health.nodes().stream().map(n -> new NodeRoleView(n.node(), n.role().name(), n.why(),
                        AgentView.of(state.agentOf(n.node())))).toList(),
                health.survival().stream().map(Survival::line).toList(),
                health.findings().stream().map(FindingView::of).toList(),
                parity == null ? null : new ParitySummary(parity.readiness(), parity.inUseOnActive(), parity.readyOnPassive(),
                        parity.missingOnPassive().size(), parity.conflicts().size(), parity.stale().size(), parity.exposedRecordsPerSecond()));
    }
}
