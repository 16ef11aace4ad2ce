package io.tandem.datastore;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL server started when no datasource URL is configured.
 *
 * @param port loopback port of the server; 0 picks a free one at each start
 * @param startupTimeout how long to wait for the server to accept connections
 * @param binaries where the server's programs are unpacked; a directory private to this user, by default
 *        {@code postgres-bin} in the data directory
 */
@ConfigurationProperties("tandem.embedded-db")
public record EmbeddedDatabaseProperties(
        @DefaultValue("0") int port,
        @DefaultValue("60s") Duration startupTimeout,
        Path binaries) {
}
