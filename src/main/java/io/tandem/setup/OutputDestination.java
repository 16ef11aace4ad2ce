package io.tandem.setup;

import io.tandem.console.Rejected;
import io.tandem.node.GateDestination;

/** An output of the gate as the setup form writes it: {@code udp:HOST:PORT} or {@code tcp:HOST:PORT} (IPv6 in brackets). */
record OutputDestination(GateDestination destination, String text) {

    static OutputDestination parse(String text, String field) {
        String value = text == null ? "" : text.strip();
        int first = value.indexOf(':');
        int last = value.lastIndexOf(':');
        if (first < 0 || last == first) {
            throw invalid(field, text);
        }
        String proto = value.substring(0, first).toLowerCase(java.util.Locale.ROOT);
        String host = value.substring(first + 1, last);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        GateDestination.Transport transport = switch (proto) {
            case "udp" -> GateDestination.Transport.UDP;
            case "tcp" -> GateDestination.Transport.TCP;
            default -> throw invalid(field, text);
        };
        int port;
        try {
            port = Integer.parseInt(value.substring(last + 1));
        } catch (NumberFormatException e) {
            throw invalid(field, text);
        }
        try {
            return new OutputDestination(GateDestination.of(host, transport, port), value);
        } catch (IllegalArgumentException e) {
            throw Rejected.invalid("invalid-setup", field, "'" + text + "': " + e.getMessage());
        }
    }

    private static Rejected invalid(String field, String text) {
        return Rejected.invalid("invalid-setup", field, "'" + text + "' is not an output: write udp:ADDRESS:PORT or "
                + "tcp:ADDRESS:PORT with an IP address (e.g. udp:10.0.0.5:514).");
    }
}
