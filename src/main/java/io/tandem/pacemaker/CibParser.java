package io.tandem.pacemaker;

import static io.tandem.pacemaker.SafeXml.attr;
import static io.tandem.pacemaker.SafeXml.child;
import static io.tandem.pacemaker.SafeXml.children;
import static io.tandem.pacemaker.SafeXml.emptyToNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * Reads {@code cibadmin --query} output (root {@code <cib>}), {@code --scope configuration} and
 * {@code --scope constraints} (root {@code <constraints>}). Only the parts Tandem acts on are modelled: of the meta
 * attributes, the resource defaults and each resource's own, from sets without a rule (a rule's set applies only where
 * the rule holds, which Tandem does not evaluate); the rest of the CIB (operation history, ACLs) is ignored.
 */
public final class CibParser {

    /** Elements of the {@code <resources>} section that are resources {@code pcs} can name. */
    private static final Set<String> RESOURCE_ELEMENTS = Set.of("primitive", "group", "clone", "master", "bundle");
    private static final int MAX_DEPTH = 8;

    private CibParser() {
    }

    public static Cib parse(String xml) throws PacemakerParseException {
        Element root = SafeXml.parseRoot(xml, "CIB");
        return switch (root.getTagName()) {
            case "cib" -> fromConfiguration(Optional.of(version(root)), child(root, "configuration"));
            case "configuration" -> fromConfiguration(Optional.empty(), root);
            case "constraints" -> new Cib(Optional.empty(), List.of(), Set.of(), constraints(root));
            default -> throw new PacemakerParseException(
                    "not a CIB: unexpected root element <" + root.getTagName() + ">");
        };
    }

    private static Cib fromConfiguration(Optional<CibVersion> version, Element configuration)
            throws PacemakerParseException {
        if (configuration == null) {
            throw new PacemakerParseException("CIB without a <configuration> section");
        }
        List<String> nodes = new ArrayList<>();
        for (Element node : children(child(configuration, "nodes"), "node")) {
            String name = emptyToNull(SafeXml.firstAttr(node, "uname", "id"));
            if (name != null) {
                nodes.add(name);
            }
        }
        Set<String> resources = new LinkedHashSet<>();
        Map<String, Map<String, String>> meta = new LinkedHashMap<>();
        collectResources(child(configuration, "resources"), resources, meta, 0);
        Map<String, String> defaults = new LinkedHashMap<>();
        Element rscDefaults = child(configuration, "rsc_defaults");
        if (rscDefaults != null) {
            nvpairs(rscDefaults, defaults);
        }
        return new Cib(version, nodes, resources, constraints(child(configuration, "constraints")), Optional.of(defaults), meta);
    }

    private static CibVersion version(Element cib) throws PacemakerParseException {
        return new CibVersion(counter(cib, "admin_epoch"), counter(cib, "epoch"), counter(cib, "num_updates"));
    }

    /** cibadmin always writes all three; a missing one means the token cannot be trusted for change detection. */
    private static long counter(Element cib, String name) throws PacemakerParseException {
        String value = attr(cib, name);
        if (value == null) {
            throw new PacemakerParseException("<cib> without the " + name + " attribute");
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new PacemakerParseException("<cib " + name + "=\"" + value + "\"> is not a number", e);
        }
    }

    private static void collectResources(Element parent, Set<String> into, Map<String, Map<String, String>> meta, int depth)
            throws PacemakerParseException {
        if (depth > MAX_DEPTH) {
            throw new PacemakerParseException("resources nested deeper than " + MAX_DEPTH + " levels");
        }
        for (Element e : children(parent)) {
            if (RESOURCE_ELEMENTS.contains(e.getTagName())) {
                String id = emptyToNull(attr(e, "id"));
                if (id != null) {
                    into.add(id);
                    Map<String, String> own = new LinkedHashMap<>();
                    nvpairs(e, own);
                    if (!own.isEmpty()) {
                        meta.put(id, own);
                    }
                }
                collectResources(e, into, meta, depth + 1);
            }
        }
    }

    /** The nvpairs of an element's rule-less {@code meta_attributes} sets; of a name set twice, the first. */
    private static void nvpairs(Element owner, Map<String, String> into) {
        for (Element set : children(owner, "meta_attributes")) {
            if (!children(set, "rule").isEmpty()) {
                continue;
            }
            for (Element nv : children(set, "nvpair")) {
                String name = emptyToNull(attr(nv, "name"));
                if (name != null) {
                    into.putIfAbsent(name, attr(nv, "value", ""));
                }
            }
        }
    }

    private static List<Constraint> constraints(Element section) {
        List<Constraint> result = new ArrayList<>();
        for (Element e : children(section)) {
            switch (e.getTagName()) {
                case "rsc_location" -> result.add(new Constraint.Location(attr(e, "id", ""), attr(e, "rsc"),
                        attr(e, "rsc-pattern"), setMembers(e), attr(e, "node"), attr(e, "score"),
                        SafeXml.firstAttr(e, "role", "rsc-role"), rules(e)));
                case "rsc_colocation" -> result.add(new Constraint.Colocation(attr(e, "id", ""), attr(e, "rsc"),
                        attr(e, "with-rsc"), setMembers(e), attr(e, "score"), attr(e, "rsc-role"),
                        attr(e, "with-rsc-role")));
                case "rsc_order" -> result.add(new Constraint.Order(attr(e, "id", ""), attr(e, "first"),
                        attr(e, "then"), setMembers(e), attr(e, "kind"), attr(e, "first-action"),
                        attr(e, "then-action")));
                case "rsc_ticket" -> result.add(new Constraint.Ticket(attr(e, "id", ""), attr(e, "rsc"),
                        setMembers(e), attr(e, "ticket", ""), attr(e, "rsc-role"), attr(e, "loss-policy")));
                default -> {
                    // comments, future constraint kinds: not ours to judge
                }
            }
        }
        return result;
    }

    private static List<String> setMembers(Element constraint) {
        List<String> members = new ArrayList<>();
        for (Element set : children(constraint, "resource_set")) {
            for (Element ref : children(set, "resource_ref")) {
                String id = emptyToNull(attr(ref, "id"));
                if (id != null) {
                    members.add(id);
                }
            }
        }
        return members;
    }

    private static List<Constraint.Rule> rules(Element location) {
        return children(location, "rule").stream().map(rule -> new Constraint.Rule(attr(rule, "id", ""),
                SafeXml.firstAttr(rule, "score", "score-attribute"), attr(rule, "boolean-op", "and"),
                children(rule).stream().map(CibParser::describe).toList())).toList();
    }

    /** A readable form of one rule expression, e.g. {@code #uname eq node1}; nested rules are marked, not expanded. */
    private static String describe(Element expression) {
        return switch (expression.getTagName()) {
            case "expression" -> String.join(" ", nonNull(attr(expression, "attribute"),
                    attr(expression, "operation"), attr(expression, "value")));
            case "date_expression" -> String.join(" ", nonNull("date", attr(expression, "operation"),
                    attr(expression, "start"), attr(expression, "end")));
            default -> expression.getTagName();
        };
    }

    private static List<String> nonNull(String... parts) {
        List<String> present = new ArrayList<>();
        for (String part : parts) {
            if (part != null) {
                present.add(part);
            }
        }
        return present;
    }
}
