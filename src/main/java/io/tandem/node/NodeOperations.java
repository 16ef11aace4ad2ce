package io.tandem.node;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.tandem.pacemaker.ClusterCommand;
import io.tandem.pacemaker.ClusterInventory;
import io.tandem.pacemaker.CommandRejectedException;
import io.tandem.pacemaker.CrmMonParser;
import io.tandem.pacemaker.CrmMonResult;
import io.tandem.pacemaker.PacemakerParseException;

/**
 * The node's service actions and allow-listed cluster commands over a {@link ToolRunner}: the agent runs them
 * locally, the agentless adapter over SSH, so both check and build them the same way.
 */
public final class NodeOperations {

    /** The CIB as the cluster sees it now: the allow-list of names a command is checked against. */
    public static final List<String> CRM_MON = List.of("crm_mon", "--one-shot", "--output-as=xml");

    public enum ServiceAction { START, STOP, RESTART }

    /** What a command printed and how it ended; a non-zero exit is the caller's to judge. */
    public record Outcome(List<String> argv, int exitCode, String stdout, String stderr) {
        public Outcome {
            argv = List.copyOf(argv);
        }

        public static Outcome of(List<String> argv, CommandResult result) {
            return new Outcome(argv, result.exitCode(), result.stdout(), result.stderr());
        }

        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** Pacemaker could not be asked: not running on the node, or it answered something unreadable. */
    public static final class ClusterUnavailable extends Exception {
        private final boolean running;

        ClusterUnavailable(boolean running, String message, Throwable cause) {
            super(message, cause);
            this.running = running;
        }

        /** False: the cluster stack is down here; true: it runs but its answer could not be read. */
        public boolean running() {
            return running;
        }
    }

    private NodeOperations() {
    }

    /** Runs the action's commands in order, stopping at the first that fails; returns the last one run. */
    public static Outcome service(ToolRunner tools, ServiceControl control, ServiceAction action, Duration timeout)
            throws NodeAccessException {
        List<List<String>> commands = switch (Objects.requireNonNull(action, "action")) {
            case START -> List.of(control.startCommand());
            case STOP -> List.of(control.stopCommand());
            case RESTART -> control.restartCommands();
        };
        Outcome last = null;
        for (List<String> argv : commands) {
            last = Outcome.of(argv, tools.run(argv, timeout));
            if (!last.succeeded()) {
                break;
            }
        }
        return last;
    }

    /** Rewrites the gate chain in one nft transaction; the outcome's exit code is the caller's to judge. */
    public static Outcome gate(ToolRunner tools, GateChange change, Duration timeout) throws NodeAccessException {
        return Outcome.of(change.argv(), tools.run(change.argv(), timeout));
    }

    public static ClusterInventory inventory(ToolRunner tools, Duration timeout)
            throws NodeAccessException, ClusterUnavailable {
        CommandResult result = tools.run(CRM_MON, timeout);
        try {
            CrmMonResult status = CrmMonParser.parse(result.stdout());
            if (!(status instanceof CrmMonResult.Running running) || running.status().isEmpty()) {
                throw new ClusterUnavailable(false, "Pacemaker is not running on this node: " + status, null);
            }
            return ClusterInventory.of(running.status().get());
        } catch (PacemakerParseException e) {
            throw new ClusterUnavailable(true, "crm_mon printed nothing readable: " + e.getMessage(), e);
        }
    }

    /**
     * Checks the command against what the cluster has now, then runs its argument vector. {@code run} may differ
     * from {@code read} (e.g. to record the action on the node as it runs).
     */
    public static Outcome pacemaker(ToolRunner read, ToolRunner run, ClusterCommand command, Duration readTimeout,
            Duration runTimeout) throws NodeAccessException, ClusterUnavailable, CommandRejectedException {
        command.checkAgainst(inventory(read, readTimeout));
        return Outcome.of(command.argv(), run.run(command.argv(), runTimeout));
    }
}
