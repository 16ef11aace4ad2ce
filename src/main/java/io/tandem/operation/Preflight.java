package io.tandem.operation;

import java.util.List;

/**
 * What Tandem checked before an operation, from the monitor's latest judgement of the pair, and the phrase the
 * operator must type to confirm. BLOCK checks refuse the operation; WARN checks are shown and accepted by confirming.
 *
 * @param node the node the operation acts on (restarted, copied to, or made active)
 * @param plan the steps that will run, in order, in operator words
 * @param simulation for a Pacemaker control, what crm_simulate says Pacemaker would do (null when not previewed)
 * @param copy for a configuration copy, the files it would write with their diffs (null when not previewed)
 */
public record Preflight(OperationKind kind, String node, List<Check> checks, List<String> plan, String confirmPhrase,
                        io.tandem.node.NodeOperations.Simulation simulation, CopyPreview copy) {

    public enum Verdict { PASS, WARN, BLOCK }

    public record Check(Verdict verdict, String label, String detail) {
    }

    public Preflight(OperationKind kind, String node, List<Check> checks, List<String> plan, String confirmPhrase) {
        this(kind, node, checks, plan, confirmPhrase, null, null);
    }

    public Preflight(OperationKind kind, String node, List<Check> checks, List<String> plan, String confirmPhrase,
                     io.tandem.node.NodeOperations.Simulation simulation) {
        this(kind, node, checks, plan, confirmPhrase, simulation, null);
    }

    Preflight withCopy(CopyPreview preview) {
        return new Preflight(kind, node, checks, plan, confirmPhrase, simulation, preview);
    }

    public Preflight {
        checks = List.copyOf(checks);
        plan = List.copyOf(plan);
    }

    public boolean allowed() {
        return checks.stream().noneMatch(c -> c.verdict() == Verdict.BLOCK);
    }

    public List<Check> blocking() {
        return checks.stream().filter(c -> c.verdict() == Verdict.BLOCK).toList();
    }
}
