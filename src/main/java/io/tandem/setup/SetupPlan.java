package io.tandem.setup;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

import io.tandem.node.SetupCommand;

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
     * @param actions what apply and undo run for it (typed); not shown, the {@code commands} and {@code undo} say it
     */
    public record PlanStep(int number, String node, String title, List<String> commands, String changes, String check,
                           List<String> undo, String confirmation, @JsonIgnore Actions actions) {
        public PlanStep {
            commands = List.copyOf(commands);
            undo = List.copyOf(undo);
        }
    }

    /** Who runs a step: its node (typed commands), or Tandem itself. */
    public enum Task { NODE, COPY_CONFIG, VERIFY }

    /**
     * What only apply holds, never the plan: the hacluster password and the phrase the user typed for a data-loss step.
     */
    public record Given(String password, String typedPhrase) {
        @Override
        public String toString() {
            return "Given[password=" + (password == null ? "none" : "(given)") + ", typedPhrase=" + typedPhrase + "]";
        }
    }

    /**
     * A step's typed commands: {@code run} builds them from what apply holds (the password goes into
     * {@code pcs host auth} only there, in memory); {@code undo} reverts the step, last command last.
     */
    public record Actions(Task task, java.util.function.Function<Given, List<SetupCommand>> run, List<SetupCommand> undo) {
        public Actions {
            undo = List.copyOf(undo);
        }

        static Actions node(List<SetupCommand> run, List<SetupCommand> undo) {
            List<SetupCommand> commands = List.copyOf(run);
            return new Actions(Task.NODE, given -> commands, undo);
        }

        static Actions console(Task task) {
            return new Actions(task, given -> List.of(), List.of());
        }

        public List<SetupCommand> commands(Given given) {
            return run.apply(given);
        }
    }
}
