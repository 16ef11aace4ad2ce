package io.tandem.identity;

import java.net.InetAddress;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.catalina.valves.RemoteIpValve;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * X-Forwarded-For and X-Forwarded-Proto are believed only from the proxies listed in
 * {@code tandem.security.trusted-proxies}; with none listed (the default) the client address is
 * always the TCP peer. Tomcat's own default would believe any private address, so that any client
 * on 10.x could write the address of its choice into the audit log.
 */
@Component
class TrustedProxies implements WebServerFactoryCustomizer<TomcatWebServerFactory>, Ordered {

    private final List<String> proxies;

    TrustedProxies(IdentityProperties properties) {
        this.proxies = properties.trustedProxies().stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        proxies.forEach(TrustedProxies::requireAddress);
    }

    /** After Spring Boot's customizer, which adds the valve with Tomcat's defaults. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void customize(TomcatWebServerFactory factory) {
        factory.getEngineValves().stream()
                .filter(RemoteIpValve.class::isInstance)
                .map(RemoteIpValve.class::cast)
                .forEach(valve -> {
                    valve.setInternalProxies(pattern(proxies));
                    valve.setTrustedProxies(null);
                });
    }

    /** A regular expression matching exactly the listed addresses, or null (no one) for an empty list. */
    static String pattern(List<String> addresses) {
        return addresses.isEmpty() ? null : addresses.stream().map(Pattern::quote).collect(Collectors.joining("|"));
    }

    private static void requireAddress(String proxy) {
        // literal addresses only: a host name would be resolved once, silently, at start
        if (!proxy.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
            throw new IllegalArgumentException("tandem.security.trusted-proxies: '" + proxy
                    + "' is not an IP address (list the proxies' addresses, comma-separated)");
        }
        try {
            InetAddress.getByName(proxy);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("tandem.security.trusted-proxies: '" + proxy + "' is not an IP address", e);
        }
    }
}
