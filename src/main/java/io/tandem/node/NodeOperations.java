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

    /**
     * What Pacemaker would do after a command, from {@code crm_simulate} on a copy of the live CIB the command was
     * applied to ({@code pcs -f <copy> ...}); the live cluster is not touched.
     *
     * @param command the pcs command previewed
     * @param applied whether the command was applied to the copy; false for commands that do not edit the CIB
     *        (cleanup, restart): then the preview is what Pacemaker plans with the CIB as it is
     * @param refusal why pcs or crm_simulate could not preview it (their own words), or null when it worked
     * @param transitions the "Transition Summary" lines: each start, stop, move or promotion Pacemaker would do
     * @param revised the "Revised Cluster Status" section: nodes and resources as they would be after it
     */
    public record Simulation(List<String> command, boolean applied, String refusal, List<String> transitions,
                             String revised, String output) {
        public Simulation {
            command = List.copyOf(command);
            transitions = List.copyOf(transitions);
        }

        public boolean succeeded() {
            return refusal == null;
        }
    }

    private static final int MAX_SIMULATION_OUTPUT = 64 * 1024;

    private NodeOperations() {
    }

    /**
     * Previews a command: {@code pcs cluster cib <copy>}, then {@code pcs -f <copy> <command>} when it edits the CIB,
     * then {@code crm_simulate -x <copy> -S}. Checks the names against the cluster first, as {@link #pacemaker} does.
     *
     * @param cibCopy a file on the node the caller owns and removes afterwards (it holds the whole CIB)
     */
    public static Simulation simulate(ToolRunner tools, ClusterCommand command, String cibCopy, Duration timeout)
            throws NodeAccessException, ClusterUnavailable, CommandRejectedException {
        command.checkAgainst(inventory(tools, timeout));
        CommandResult copy = tools.run(List.of("pcs", "cluster", "cib", cibCopy), timeout);
        if (copy.exitCode() != 0) {
            return refused(command, "pcs cluster cib failed (exit " + copy.exitCode() + "): " + said(copy));
        }
        if (command.editsCib()) {
            List<String> onCopy = new java.util.ArrayList<>(List.of("pcs", "-f", cibCopy));
            onCopy.addAll(command.argv().subList(1, command.argv().size()));
            CommandResult applied = tools.run(onCopy, timeout);
            if (applied.exitCode() != 0) {
                return refused(command, "pcs refused it on a copy of the CIB (exit " + applied.exitCode() + "): " + said(applied));
            }
        }
        CommandResult simulated = tools.run(List.of("crm_simulate", "-x", cibCopy, "-S"), timeout);
        if (simulated.exitCode() != 0) {
            return refused(command, "crm_simulate failed (exit " + simulated.exitCode() + "): " + said(simulated));
        }
        String output = simulated.stdout().length() > MAX_SIMULATION_OUTPUT
                ? simulated.stdout().substring(0, MAX_SIMULATION_OUTPUT) : simulated.stdout();
        return new Simulation(command.argv(), command.editsCib(), null, transitions(output), section(output, "Revised Cluster Status:"),
                output);
    }

    /** The Transition Summary's items, whitespace folded ({@code Stop nfo-gate ( nfo-a ) due to node availability}). */
    static List<String> transitions(String output) {
        return section(output, "Transition Summary:").lines().map(String::strip).filter(l -> l.startsWith("* "))
                .map(l -> l.substring(2).replaceAll("\\s+", " ")).toList();
    }

    /** The lines after a heading of crm_simulate's text, up to the next heading (a line starting without a blank). */
    static String section(String output, String heading) {
        StringBuilder text = new StringBuilder();
        boolean inside = false;
        for (String line : output.lines().toList()) {
            if (line.equals(heading)) {
                inside = true;
            } else if (inside && !line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                break;
            } else if (inside) {
                text.append(line).append('\n');
            }
        }
        return text.toString().strip();
    }

    private static Simulation refused(ClusterCommand command, String why) {
        return new Simulation(command.argv(), command.editsCib(), why, List.of(), "", "");
    }

    private static String said(CommandResult result) {
        String text = result.stderr() == null || result.stderr().isBlank() ? result.stdout() : result.stderr();
        return text == null || text.isBlank() ? "no output" : text.strip().lines().findFirst().orElse("no output");
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
