package io.tandem.datastore;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server whose data lives in the data directory and survives restarts.
 * Started before the connection pool, stopped after it (bean destruction order).
 */
public final class EmbeddedDatabase implements AutoCloseable {

    static final String USER = "postgres";
    static final String DATABASE = "tandem";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final Path directory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path directory) {
        this.postgres = postgres;
        this.directory = directory;
    }

    static EmbeddedDatabase start(Path directory, EmbeddedDatabaseProperties properties) {
        ensureWritable(directory);
        if (properties.port() != 0) {
            ensurePortFree(properties.port());
        }
        boolean fresh = !Files.exists(directory.resolve("PG_VERSION"));
        long started = System.nanoTime();
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setPort(properties.port())
                    .setPGStartupWait(properties.startupTimeout())
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new DataStoreException("The embedded PostgreSQL server could not start in " + directory + ": "
                    + rootMessage(e),
                    "Look at the PostgreSQL messages above. If a server from an earlier run is still alive, stop it "
                            + "(its pid is in " + directory.resolve("postmaster.pid") + "); if the port is taken, set "
                            + "--tandem.embedded-db.port=N; or use an external server with SPRING_DATASOURCE_URL.", e);
        }
        EmbeddedDatabase database = new EmbeddedDatabase(postgres, directory);
        database.createApplicationDatabase();
        log.info("Embedded PostgreSQL {} on 127.0.0.1:{} with data in {} ({} ms)",
                fresh ? "initialised and started" : "started", postgres.getPort(), directory,
                (System.nanoTime() - started) / 1_000_000);
        return database;
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    public int port() {
        return postgres.getPort();
    }

    private void createApplicationDatabase() {
        String url = postgres.getJdbcUrl(USER, "postgres");
        try (Connection connection = DriverManager.getConnection(url, USER, "");
             PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rows = exists.executeQuery()) {
                if (!rows.next()) {
                    try (Statement create = connection.createStatement()) {
                        create.execute("create database " + DATABASE);
                    }
                }
            }
        } catch (SQLException e) {
            close();
            throw new DataStoreException("The embedded PostgreSQL server started but the database '" + DATABASE
                    + "' could not be created: " + e.getMessage(),
                    "Check the PostgreSQL messages above; if the data directory is damaged, move it aside.", e);
        }
    }

    private static void ensureWritable(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new DataStoreException("Cannot create the database directory " + directory + ": " + e.getMessage(),
                    "Make the data directory writable, or point tandem.data-dir elsewhere.");
        }
        if (!Files.isWritable(directory)) {
            throw new DataStoreException("The database directory " + directory + " is not writable by this user.",
                    "Make it writable (chown/chmod), or point tandem.data-dir at a writable directory.");
        }
    }

    private static void ensurePortFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new DataStoreException("Port " + port + " on 127.0.0.1, configured for the embedded PostgreSQL "
                    + "server, is already in use.",
                    "Stop what listens there, choose another port with --tandem.embedded-db.port=N, "
                            + "or use 0 to pick a free port at each start.");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    @Override
    public void close() {
        try {
            postgres.close();
            log.info("Embedded PostgreSQL stopped ({})", directory);
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
