package io.tandem.pacemaker;

/**
 * A negative location constraint {@code crm_mon} lists under {@code bans}: resource kept off a node, for instance
 * by {@code pcs resource ban} ({@code cli-ban-*}) or a move away.
 */
public record Ban(String id, String resource, String node, int weight, boolean promotedOnly) {

    /** Left behind by {@code pcs resource move/ban} or {@code crm_resource --move/--ban}; cleared by {@code pcs resource clear}. */
    public boolean isLeftoverMove() {
        return Constraint.isCliConstraintId(id);
    }
}
