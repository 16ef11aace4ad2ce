package io.tandem.agent.api;

import java.net.URI;
import java.time.Duration;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.tandem.agent.NodeBackends;
import io.tandem.agent.wire.AgentProtocol;
import io.tandem.node.NodeAccessException;
import io.tandem.node.SetupProbe;

/** What this node has for building a pair (read only): the console's setup discovery asks it here. */
@RestController
class SetupProbeApi {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(10);

    private final NodeBackends backends;

    SetupProbeApi(NodeBackends backends) {
        this.backends = backends;
    }

    @PostMapping(AgentProtocol.SETUP_PROBE)
    ResponseEntity<?> probe(@RequestBody(required = false) SetupProbe.Request request) throws NodeAccessException {
        if (request == null) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "Send {\"peerName\", \"peerAddress\", \"tcpOutputs\", \"drbdDevice\"}.");
            problem.setType(URI.create(AgentProtocol.problemType("invalid-probe")));
            return ResponseEntity.badRequest().body(problem);
        }
        return ResponseEntity.ok(new SetupProbe(backends.tools(), backends.files(), TOOL_TIMEOUT).probe(request));
    }
}
