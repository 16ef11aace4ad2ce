package io.tandem.setup;

import java.time.Instant;
import java.util.List;

import io.tandem.fleet.ClusterMode;
import io.tandem.monitor.Severity;

/**
 * What adopting an existing cluster would do, read only: which of its resources Tandem would map to the pair, the
 * mode its shape implies, and how it differs from setup's recipe, each difference with the exact commands that fix it.
 *
 * @param readFrom the node whose Pacemaker view (crm_mon and the CIB's constraints) this was read from
 * @param readAt when that node was read
 * @param token names what the proposal was read from (the cluster's resources, constraints and fencing, and the
 *        pair's version); accepting with a token that no longer matches is refused
 * @param mode the mode the cluster's shape implies, or null when it cannot be told (no NFO resource found)
 * @param proposed the names accepting would save; a null name was not found (the pair keeps its own)
 * @param current what the pair holds now
 * @param found each role Tandem looked for, what it found and why
 * @param ambiguities what Tandem could not decide on its own, said plainly; never guessed
 */
public record Adoption(String readFrom, Instant readAt, String token, ClusterMode mode, String modeReason, Mapping proposed,
                       Mapping current, List<Found> found, List<String> ambiguities, List<Difference> differences) {

    public Adoption {
        found = List.copyOf(found);
        ambiguities = List.copyOf(ambiguities);
        differences = List.copyOf(differences);
    }

    /** Nothing to decide and nothing to fix: the cluster is built as setup would build it. */
    public boolean asTheRecipe() {
        return ambiguities.isEmpty() && differences.isEmpty();
    }

    /**
     * The pair's Pacemaker names (and the DRBD resource's own name, as {@code drbdadm status} shows it) with its mode.
     * Also the body of an acceptance.
     */
    public record Mapping(ClusterMode mode, String nfoResource, String vipResource, String gateResource, String drbdResource) {
    }

    /**
     * @param role NFO, VIP, gate, DRBD (Pacemaker), DRBD resource, file system or fencing
     * @param resource what was found, or null
     * @param within the clone or group it runs in, or null
     * @param pairHolds the name the pair holds for this role now (null for roles the pair does not name)
     * @param note how it was found, or why nothing was
     */
    public record Found(String role, String resource, String agent, String within, List<String> runningOn, String pairHolds,
                        String note) {
        public Found {
            runningOn = runningOn == null ? List.of() : List.copyOf(runningOn);
        }
    }

    /**
     * One way the cluster differs from the recipe.
     *
     * @param id stable for automation, e.g. {@code gate-missing}, {@code fencing-disabled}
     * @param meaning what it means for the operator
     * @param commands the exact commands that fix it, in order; {@code <PLACEHOLDER>} words are what Tandem does not know
     */
    public record Difference(String id, Severity severity, String title, String meaning, List<String> commands) {
        public Difference {
            commands = List.copyOf(commands);
        }
    }
}
