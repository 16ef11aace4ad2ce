package io.tandem.alerts;

import java.util.List;
import java.util.Map;

/**
 * An alert in words for people (the email), from the same items the webhook sends as JSON: one subject line that
 * says the worst news first, and one paragraph per item.
 */
final class AlertText {

    private AlertText() {
    }

    static String subject(String cluster, List<Map<String, Object>> items) {
        Map<String, Object> first = items.stream().filter(i -> "critical".equals(i.get("kind"))).findFirst()
                .or(() -> items.stream().filter(i -> "failover".equals(i.get("kind"))).findFirst())
                .orElse(items.isEmpty() ? Map.of() : items.get(0));
        String headline = switch (String.valueOf(first.get("kind"))) {
            case "critical" -> "CRITICAL: " + first.get("cause");
            case "failover" -> "WARNING: " + first.get("cause");
            case "recovered" -> String.valueOf(first.get("cause"));
            case "role-change" -> "WARNING: " + first.get("cause");
            case "test" -> "test alert";
            default -> "health changed";
        };
        String more = items.size() > 1 ? " (+" + (items.size() - 1) + " more)" : "";
        return oneLine("[Tandem] " + cluster + ": " + headline + more);
    }

    static String body(String cluster, String at, List<Map<String, Object>> items) {
        StringBuilder body = new StringBuilder("Tandem, pair ").append(cluster).append(", at ").append(at).append(" (UTC)\n\n");
        for (Map<String, Object> item : items) {
            switch (String.valueOf(item.get("kind"))) {
                case "critical" -> body.append("CRITICAL on ").append(item.get("node") == null ? "the pair" : item.get("node"))
                        .append(": ").append(item.get("cause")).append("\n  Impact: ").append(item.get("impact")).append('\n');
                case "failover" -> body.append("Failover (WARNING): ").append(item.get("cause")).append("\n  Cause seen: ")
                        .append(item.get("reason")).append(" — ").append(item.get("detail")).append("\n  Now: ")
                        .append(item.get("impact")).append('\n');
                case "recovered" -> body.append(item.get("cause")).append('\n');
                case "role-change" -> body.append("WARNING: ").append(item.get("cause")).append("\n  ")
                        .append(item.get("impact")).append('\n');
                default -> body.append(item.get("text")).append('\n');
            }
            body.append('\n');
        }
        return body.append("This mail was sent because the pair's alert settings list you as a recipient.\n").toString();
    }

    /** A finding's cause comes from node facts: no line break may reach a mail header. */
    private static String oneLine(String text) {
        String flat = text.replaceAll("[\\r\\n\\t]+", " ");
        return flat.length() > 200 ? flat.substring(0, 199) + "…" : flat;
    }
}
