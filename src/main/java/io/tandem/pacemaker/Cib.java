package io.tandem.pacemaker;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What Tandem needs from a CIB ({@code cibadmin --query}, or only its constraints with
 * {@code --scope constraints}): the change token, the configured nodes and resource ids, and the constraints.
 * A constraints-only document has no version, nodes or resources.
 */
public record Cib(Optional<CibVersion> version, List<String> nodeNames, Set<String> resourceIds,
                  List<Constraint> constraints) {

    public Cib {
        nodeNames = List.copyOf(nodeNames);
        resourceIds = Set.copyOf(resourceIds);
        constraints = List.copyOf(constraints);
    }

    /** {@code cli-prefer-*} / {@code cli-ban-*} constraints still in place: the console warns about them. */
    public List<Constraint> leftoverMoves() {
        return constraints.stream().filter(Constraint::isLeftoverMove).toList();
    }

    public List<Constraint> constraintsOn(String resourceId) {
        return constraints.stream().filter(c -> c.resources().contains(resourceId)).toList();
    }
}
