package io.tandem.pacemaker;

import java.util.ArrayList;
import java.util.List;

/**
 * A constraint from the CIB's {@code <constraints>} section. Resource sets are flattened into
 * {@link #resources()}; nullable fields are null when the CIB does not set them (a rule-based location has no
 * node, a set-based one no single resource).
 */
public sealed interface Constraint
        permits Constraint.Location, Constraint.Colocation, Constraint.Order, Constraint.Ticket {

    String id();

    /** Every resource the constraint names, including members of resource sets. */
    List<String> resources();

    /** A {@code cli-prefer-*} or {@code cli-ban-*} constraint: the trace a move or ban leaves until it is cleared. */
    default boolean isLeftoverMove() {
        return isCliConstraintId(id());
    }

    static boolean isCliConstraintId(String id) {
        return id != null && (id.startsWith("cli-prefer-") || id.startsWith("cli-ban-"));
    }

    /** {@code rsc_location}: prefer or avoid a node, directly or through rules. */
    record Location(String id, String resource, String resourcePattern, List<String> setResources, String node,
                    String score, String role, List<Rule> rules) implements Constraint {

        public Location {
            setResources = List.copyOf(setResources);
            rules = List.copyOf(rules);
        }

        @Override
        public List<String> resources() {
            return withSingle(resource, setResources);
        }

        /** Keeps the resource off the node: a negative score such as {@code -INFINITY}. */
        public boolean isBan() {
            return score != null && score.trim().startsWith("-");
        }
    }

    /** A location rule, e.g. score {@code -INFINITY} when {@code #uname eq node1}; expressions kept readable. */
    record Rule(String id, String score, String booleanOp, List<String> expressions) {
        public Rule {
            expressions = List.copyOf(expressions);
        }
    }

    /** {@code rsc_colocation}: {@code resource} placed relative to {@code withResource}. */
    record Colocation(String id, String resource, String withResource, List<String> setResources, String score,
                      String resourceRole, String withResourceRole) implements Constraint {

        public Colocation {
            setResources = List.copyOf(setResources);
        }

        @Override
        public List<String> resources() {
            List<String> all = new ArrayList<>(withSingle(resource, setResources));
            if (withResource != null) {
                all.add(withResource);
            }
            return List.copyOf(all);
        }
    }

    /** {@code rsc_order}: {@code then} starts after {@code first} (actions default to start). */
    record Order(String id, String first, String then, List<String> setResources, String kind, String firstAction,
                 String thenAction) implements Constraint {

        public Order {
            setResources = List.copyOf(setResources);
        }

        @Override
        public List<String> resources() {
            List<String> all = new ArrayList<>();
            if (first != null) {
                all.add(first);
            }
            if (then != null) {
                all.add(then);
            }
            all.addAll(setResources);
            return List.copyOf(all);
        }
    }

    /** {@code rsc_ticket}: the resource may only run while the ticket is granted. */
    record Ticket(String id, String resource, List<String> setResources, String ticket, String role,
                  String lossPolicy) implements Constraint {

        public Ticket {
            setResources = List.copyOf(setResources);
        }

        @Override
        public List<String> resources() {
            return withSingle(resource, setResources);
        }
    }

    private static List<String> withSingle(String single, List<String> sets) {
        List<String> all = new ArrayList<>();
        if (single != null) {
            all.add(single);
        }
        all.addAll(sets);
        return List.copyOf(all);
    }
}
