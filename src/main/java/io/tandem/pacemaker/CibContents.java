package io.tandem.pacemaker;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.w3c.dom.Element;

/**
 * A CIB's configuration as a person reads it: its properties (cluster options and resource defaults), its resources
 * (each primitive with its agent and parameters, in its clone or group) and its constraints, one line each. Setup's
 * dry run shows this for the CIB its {@code pcs -f} commands built; two of these compare line by line.
 */
public record CibContents(List<String> properties, List<String> resources, List<String> constraints) {

    public CibContents {
        properties = List.copyOf(properties);
        resources = List.copyOf(resources);
        constraints = List.copyOf(constraints);
    }

    public static CibContents parse(String xml) throws PacemakerParseException {
        Element cib = SafeXml.parseRoot(xml, "CIB");
        Element configuration = SafeXml.child(cib, "configuration");
        if (configuration == null) {
            throw new PacemakerParseException("the CIB has no <configuration>");
        }
        List<String> properties = new ArrayList<>();
        nvpairs(SafeXml.child(configuration, "crm_config"), "", properties);
        nvpairs(SafeXml.child(configuration, "rsc_defaults"), "resource default ", properties);
        nvpairs(SafeXml.child(configuration, "op_defaults"), "operation default ", properties);
        List<String> resources = new ArrayList<>();
        Element rsc = SafeXml.child(configuration, "resources");
        if (rsc != null) {
            for (Element e : SafeXml.children(rsc)) {
                resource(e, "", resources);
            }
        }
        List<String> constraints = new ArrayList<>();
        Element cons = SafeXml.child(configuration, "constraints");
        if (cons != null) {
            SafeXml.children(cons).forEach(c -> constraints.add(constraint(c)));
        }
        return new CibContents(properties, resources, constraints);
    }

    private static void nvpairs(Element section, String prefix, List<String> into) {
        if (section == null) {
            return;
        }
        for (Element set : SafeXml.children(section)) {
            for (Element nv : SafeXml.children(set, "nvpair")) {
                into.add(prefix + SafeXml.attr(nv, "name") + "=" + SafeXml.attr(nv, "value", ""));
            }
        }
    }

    private static void resource(Element e, String within, List<String> into) {
        String id = SafeXml.attr(e, "id");
        switch (e.getTagName()) {
            case "primitive" -> {
                String agent = SafeXml.attr(e, "class") + (SafeXml.attr(e, "provider") == null ? "" : ":" + SafeXml.attr(e, "provider"))
                        + ":" + SafeXml.attr(e, "type");
                Element attrs = SafeXml.child(e, "instance_attributes");
                String params = attrs == null ? "" : SafeXml.children(attrs, "nvpair").stream()
                        .map(nv -> SafeXml.attr(nv, "name") + "=" + SafeXml.attr(nv, "value", "")).collect(Collectors.joining(" "));
                into.add(id + " (" + agent + ")" + (params.isEmpty() ? "" : " " + params) + within);
            }
            case "group" -> SafeXml.children(e, "primitive").forEach(p -> resource(p, within + " in group " + id, into));
            case "clone", "master" -> {
                Element meta = SafeXml.child(e, "meta_attributes");
                boolean promotable = "master".equals(e.getTagName()) || meta != null && SafeXml.children(meta, "nvpair").stream()
                        .anyMatch(nv -> "promotable".equals(SafeXml.attr(nv, "name")) && SafeXml.isTrue(SafeXml.attr(nv, "value")));
                SafeXml.children(e).stream().filter(c -> !c.getTagName().endsWith("_attributes"))
                        .forEach(c -> resource(c, within + " in " + (promotable ? "promotable clone " : "clone ") + id, into));
            }
            default -> into.add(id + " (" + e.getTagName() + ")" + within);
        }
    }

    private static String constraint(Element c) {
        return switch (c.getTagName()) {
            case "rsc_colocation" -> "colocation: " + SafeXml.attr(c, "rsc") + " with "
                    + (SafeXml.attr(c, "with-rsc-role") == null ? "" : SafeXml.attr(c, "with-rsc-role") + " ")
                    + SafeXml.attr(c, "with-rsc") + " (score " + SafeXml.attr(c, "score", "") + ")";
            case "rsc_order" -> "order: " + SafeXml.attr(c, "first-action", "start") + " " + SafeXml.attr(c, "first") + " then "
                    + SafeXml.attr(c, "then-action", "start") + " " + SafeXml.attr(c, "then");
            case "rsc_location" -> "location: " + SafeXml.attr(c, "rsc") + " prefers " + SafeXml.attr(c, "node")
                    + " (score " + SafeXml.attr(c, "score", "") + ")";
            default -> c.getTagName() + " " + SafeXml.attr(c, "id");
        };
    }
}
