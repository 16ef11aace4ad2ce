package io.tandem.alerts;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The SMTP server that carries email alerts. Without a host, email alerts cannot be sent and every attempt is
 * recorded as failed with that reason.
 *
 * @param host SMTP server host name; empty: email alerts are off
 * @param port SMTP port (25, or 587 with STARTTLS)
 * @param from the sender address of every alert
 * @param username, password SMTP authentication, when the server wants it
 * @param starttls require STARTTLS before sending (credentials never cross the wire in clear text)
 * @param connectTimeout how long to wait for the server to accept the connection
 * @param timeout how long to wait for each answer of the server while sending
 */
@ConfigurationProperties("tandem.alerts.mail")
public record AlertMailProperties(
        @DefaultValue("") String host,
        @DefaultValue("25") int port,
        @DefaultValue("tandem@localhost") String from,
        @DefaultValue("") String username,
        @DefaultValue("") String password,
        @DefaultValue("false") boolean starttls,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration timeout) {

    public boolean configured() {
        return host != null && !host.isBlank();
    }
}
