package io.tandem.agent.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.tandem.agent.AgentHealth;
import io.tandem.agent.wire.AgentProtocol;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.SnapshotCollector;

/** What is true on this node now, read with the node's own tools. */
@RestController
class SnapshotApi {

    private final SnapshotCollector collector;

    SnapshotApi(SnapshotCollector collector) {
        this.collector = collector;
    }

    @GetMapping(AgentProtocol.SNAPSHOT)
    NodeSnapshot snapshot() throws NodeAccessException {
        return collector.collect().takenByAgent(AgentHealth.version());
    }

    /** The agent runs, but cannot read its own node (e.g. /proc unreadable): the console learns why. */
    @ExceptionHandler(NodeAccessException.class)
    ResponseEntity<ProblemDetail> unreadable(NodeAccessException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, e.getMessage());
        problem.setType(java.net.URI.create(AgentProtocol.problemType(AgentProtocol.NODE_UNREADABLE)));
        problem.setProperty("reason", e.reason());
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(problem);
    }
}
