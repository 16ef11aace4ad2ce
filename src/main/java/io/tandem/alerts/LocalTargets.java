package io.tandem.alerts;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Refuses webhook hosts on loopback and link-local addresses unless allowed: checked when a URL is set (for a
 * literal address or a name that resolves) and again before each send (what the name resolves to then).
 */
final class LocalTargets {

    static final String SETTING = "tandem.alerts.allow-local-targets";

    private LocalTargets() {
    }

    /** Why the URL's host may not be used; empty when it may (or when its name does not resolve: the send says so). */
    static Optional<String> refusal(URI uri, boolean allowed) {
        if (allowed || uri.getHost() == null) {
            return Optional.empty();
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
        for (InetAddress address : addresses) {
            String kind = address.isLoopbackAddress() ? "loopback" : address.isLinkLocalAddress() ? "link-local"
                    : address.isAnyLocalAddress() ? "wildcard" : null;
            if (kind != null) {
                return Optional.of(host + " is a " + kind + " address (" + address.getHostAddress() + "): webhooks there are "
                        + "refused unless " + SETTING + " is true");
            }
        }
        return Optional.empty();
    }
}
