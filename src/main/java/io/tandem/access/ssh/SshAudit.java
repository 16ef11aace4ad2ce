package io.tandem.access.ssh;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.json.JsonMapper;

import io.tandem.access.NodeTarget;
import io.tandem.node.CommandResult;
import io.tandem.node.NodeAccessException;

/**
 * The node-side record of what the agentless adapter changed there, as the agent keeps one: one JSON line per
 * mutating call in {@code <home>/.tandem/audit.log} (0600), written by the node's own shell (with {@code sudo -n}
 * for sudo targets), so it stays on the node whatever the console does later.
 */
final class SshAudit {

    private static final Logger log = LoggerFactory.getLogger(SshAudit.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String FILE = "audit.log";

    private static final String APPEND = """
            umask 077
            mkdir -p -- "$1/.tandem" && printf '%s\\n' "$2" >> "$1/.tandem/audit.log"
            """;

    /**
     * @param client who acted: the console over SSH, as which login user
     * @param action what, e.g. {@code pcs resource move nfo-vip nfo-b} or {@code config commit c-42}
     * @param result {@code exit 0}, {@code APPLIED}, or the refusal
     */
    record Line(String time, String client, String action, String result) {
    }

    private final SshToolRunner runner;
    private final NodeTarget node;
    private final Clock clock;
    private final Duration timeout;

    SshAudit(SshToolRunner runner, NodeTarget node, Clock clock, Duration timeout) {
        this.runner = runner;
        this.node = node;
        this.clock = clock;
        this.timeout = timeout;
    }

    /**
     * Appends one line. Best effort, like the agent's: a failure is logged loudly but does not undo what already
     * happened on the node.
     */
    void record(String action, String result) {
        String line = JSON.writeValueAsString(new Line(clock.instant().toString(), "tandem-console ssh:" + node.sshUser(),
                action, result));
        try {
            CommandResult appended = runner.run(SshNodeAccess.stable(List.of("sh", "-c", APPEND, "tandem", node.nfoHome(),
                    line)), new byte[0], timeout);
            if (!appended.succeeded()) {
                log.error("AUDIT LINE NOT WRITTEN on {} ({}): {}", node, appended.firstErrorLine(), line);
            }
        } catch (NodeAccessException e) {
            log.error("AUDIT LINE NOT WRITTEN on {} ({}): {}", node, e.getMessage(), line);
        }
    }
}
