package io.tandem.node;

import java.util.List;
import java.util.Set;

/**
 * Which pcs commands setup may run against a CIB: the edits its plan makes ({@code pcs -f} in the dry run and in
 * apply's one-transaction push, or live for a property) and, live only, their undoing. Checked on the node side: an
 * argument that is an option pcs would read as something else (a second {@code -f}, {@code --debug}) is refused.
 */
public final class CibChanges {

    /** The edits a plan makes; with {@code pcs -f} they touch only the file. */
    private static final Set<String> EDITS = Set.of("property set", "resource defaults", "resource create", "stonith create",
            "constraint colocation", "constraint order", "constraint location");
    /** Undo and dismantle on the live CIB. */
    private static final Set<String> REMOVALS = Set.of("property unset", "resource delete", "stonith delete");
    private static final int MAX_CHANGES = 64;

    private CibChanges() {
    }

    /** One edit of the plan (dry run, push). */
    public static void require(List<String> change) {
        check(change, EDITS);
    }

    /** A plan's edits, in order: at least one, at most {@value #MAX_CHANGES}. */
    public static void requireAll(List<List<String>> changes) {
        if (changes.isEmpty() || changes.size() > MAX_CHANGES) {
            throw new IllegalArgumentException("1.." + MAX_CHANGES + " CIB changes are required");
        }
        changes.forEach(CibChanges::require);
    }

    /** One pcs command on the live CIB: an edit or a removal. */
    public static void requireLive(List<String> args) {
        check(args, REMOVALS.contains(verb(args)) ? REMOVALS : EDITS);
    }

    private static String verb(List<String> args) {
        return args.size() < 2 ? "" : args.get(0) + " " + args.get(1);
    }

    private static void check(List<String> change, Set<String> verbs) {
        if (change.size() < 3 || !verbs.contains(verb(change))) {
            throw new IllegalArgumentException("not a CIB change setup makes: pcs " + String.join(" ", change));
        }
        boolean removal = REMOVALS.contains(verb(change));
        for (String arg : change) {
            if (arg == null || arg.chars().anyMatch(Character::isISOControl)
                    || arg.startsWith("-") && !(arg.equals("--group") || removal && arg.equals("--force"))) {
                throw new IllegalArgumentException("argument refused in a CIB change: " + arg);
            }
        }
    }
}
