package io.tandem.agent.api;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.tandem.agent.AgentHealth;
import io.tandem.agent.wire.AgentProtocol;
import io.tandem.agent.wire.HealthReport;

@RestController
class HealthApi {

    private final AgentHealth health;

    HealthApi(AgentHealth health) {
        this.health = health;
    }

    @GetMapping(AgentProtocol.HEALTH)
    HealthReport health() {
        return health.report();
    }
}
