package io.tandem.identity;

import java.time.Duration;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.jdbc.config.annotation.web.http.EnableJdbcHttpSession;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.DefaultCookieSerializer;

/**
 * Consoles sharing a database share the browser sessions too (Spring Session JDBC, tables from Flyway): a browser
 * behind a load balancer keeps its login and its CSRF token when its console is gone. The cookie keeps the
 * single console's name, lifetime and flags; Secure follows the request, as Tomcat's own cookie did (a trusted
 * proxy's TLS counts).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "tandem.instances.enabled", havingValue = "true")
@EnableJdbcHttpSession
class SharedSessions {

    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> sessionLifetime(
            org.springframework.core.env.Environment environment) {
        Duration timeout = environment.getProperty("server.servlet.session.timeout", Duration.class, Duration.ofHours(8));
        return repository -> repository.setDefaultMaxInactiveInterval(timeout);
    }

    @Bean
    CookieSerializer sessionCookie(org.springframework.core.env.Environment environment) {
        DefaultCookieSerializer cookie = new DefaultCookieSerializer();
        cookie.setCookieName(environment.getProperty("server.servlet.session.cookie.name", "TANDEM_SESSION"));
        cookie.setUseHttpOnlyCookie(true);
        cookie.setSameSite("Lax");
        cookie.setUseBase64Encoding(false);
        return cookie;
    }
}
