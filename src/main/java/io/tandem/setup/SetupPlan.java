package io.tandem.setup;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * What setup will do to build the pair, in order, before anything runs: each step's node, exact commands, effect,
 * check and undo. Built from a validated form ({@link SetupPlanner}); it never holds the hacluster password (the one
 * command that needs it shows {@link #REDACTED}).
 *
 * @param cibChanges every change of the CIB the steps make, as pcs arguments after {@code pcs -f FILE}, in order: what the
 *        dry run applies to a file
 * @param drbdConfig Cold: the DRBD resource file's text; null for Hot
 */
public record SetupPlan(List<PlanStep> steps, List<String> warnings, @JsonIgnore List<List<String>> cibChanges,
                        @JsonIgnore String drbdConfig) {

    /** Stands for the hacluster password wherever a command is shown; apply puts the password in only as it runs. */
    public static final String REDACTED = "<hacluster password>";

    public SetupPlan {
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
        cibChanges = cibChanges.stream().map(List::copyOf).toList();
    }

    /**
     * One step.
     *
     * @param node the node it runs on (a node name), or {@code "console"} for what Tandem itself does
     * @param commands the exact commands, shell-quoted as one would type them
     * @param confirmation a phrase the user must type before apply runs this step (data loss), else null
     */
    public record PlanStep(int number, String node, String title, List<String> commands, String changes, String check,
                           List<String> undo, String confirmation) {
        public PlanStep {
            commands = List.copyOf(commands);
            undo = List.copyOf(undo);
        }
    }
}
