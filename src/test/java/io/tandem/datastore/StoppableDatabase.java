package io.tandem.datastore;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real PostgreSQL server outside the console, as an external database would be, that a test can stop and start
 * again on the same port and data directory (the server and its two roles as the README documents them for an
 * external server). For tests that run the console as its own process and take its database away.
 */
public final class StoppableDatabase implements AutoCloseable {

    private final Path directory;
    private final EmbeddedDatabaseProperties properties;
    private EmbeddedDatabase server;

    private StoppableDatabase(Path directory, EmbeddedDatabaseProperties properties) {
        this.directory = directory;
        this.properties = properties;
        this.server = EmbeddedDatabase.start(directory, properties);
    }

    /** Starts a new server in {@code directory} on a free loopback port; {@code binaries}: where its programs are. */
    public static StoppableDatabase start(Path directory, Path binaries) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        return new StoppableDatabase(directory, new EmbeddedDatabaseProperties(port, Duration.ofSeconds(120), binaries));
    }

    /** The console's settings for this server: the datasource with the console's role, Flyway with the owner's. */
    public List<String> consoleArguments() {
        DatabaseLogins logins = server.logins();
        return List.of("--spring.datasource.url=" + server.jdbcUrl(),
                "--spring.datasource.username=" + logins.console().user(),
                "--spring.datasource.password=" + logins.console().password(),
                "--spring.flyway.user=" + logins.owner().user(),
                "--spring.flyway.password=" + logins.owner().password());
    }

    public int port() {
        return properties.port();
    }

    /** Stops the server (pg_ctl stop): clients' connections end, new ones are refused. */
    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts the server again on the same port with the same data and passwords. */
    public synchronized void restart() {
        if (server == null) {
            server = EmbeddedDatabase.start(directory, properties);
        }
    }

    public synchronized boolean running() {
        return server != null;
    }

    @Override
    public void close() {
        stop();
    }
}
