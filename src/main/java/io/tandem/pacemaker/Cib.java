package io.tandem.pacemaker;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What Tandem needs from a CIB ({@code cibadmin --query}, its configuration with {@code --scope configuration}, or
 * only its constraints with {@code --scope constraints}): the change token, the configured nodes and resource ids, the
 * constraints, and the meta attributes that decide placement (resource defaults and each resource's own). A
 * constraints-only document has no version, nodes, resources or meta attributes.
 *
 * @param resourceDefaults the {@code rsc_defaults} meta attributes (name to value, as written); empty when the document
 *                         has no configuration to read them from, an empty map when the configuration sets none
 * @param metaAttributes each resource's own meta attributes (primitive, group, clone or bundle id to name and value)
 */
public record Cib(Optional<CibVersion> version, List<String> nodeNames, Set<String> resourceIds,
                  List<Constraint> constraints, Optional<Map<String, String>> resourceDefaults,
                  Map<String, Map<String, String>> metaAttributes) {

    public Cib {
        nodeNames = List.copyOf(nodeNames);
        resourceIds = Set.copyOf(resourceIds);
        constraints = List.copyOf(constraints);
        resourceDefaults = resourceDefaults.map(Map::copyOf);
        metaAttributes = Map.copyOf(metaAttributes);
    }

    /** A document without meta attributes (constraints only). */
    public Cib(Optional<CibVersion> version, List<String> nodeNames, Set<String> resourceIds, List<Constraint> constraints) {
        this(version, nodeNames, resourceIds, constraints, Optional.empty(), Map.of());
    }

    /** {@code cli-prefer-*} / {@code cli-ban-*} constraints still in place: the console warns about them. */
    public List<Constraint> leftoverMoves() {
        return constraints.stream().filter(Constraint::isLeftoverMove).toList();
    }

    public List<Constraint> constraintsOn(String resourceId) {
        return constraints.stream().filter(c -> c.resources().contains(resourceId)).toList();
    }

    /** One resource's own meta attribute as written, if it sets it. */
    public Optional<String> meta(String resourceId, String name) {
        return Optional.ofNullable(metaAttributes.getOrDefault(resourceId, Map.of()).get(name));
    }
}
