package io.tandem.pacemaker;

/**
 * A failed operation from {@code crm_mon}'s {@code failures} list, e.g. {@code ddd_start_0} on a node with exit
 * status "not installed" (rc 5). {@code lastRcChange} is Pacemaker's own text and null when not reported.
 */
public record Failure(
        String opKey,
        String node,
        String exitStatus,
        String exitReason,
        int exitCode,
        int call,
        String status,
        String lastRcChange) {

    /** The resource the operation belongs to: the op key minus its {@code _<task>_<interval>} suffix. */
    public String resource() {
        int interval = opKey.lastIndexOf('_');
        int task = interval > 0 ? opKey.lastIndexOf('_', interval - 1) : -1;
        return task > 0 ? opKey.substring(0, task) : opKey;
    }
}
