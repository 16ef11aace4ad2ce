package io.tandem.datastore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.tandem.support.FreshDataDirectory;

/**
 * A real PostgreSQL server started by a test on its own, for several consoles to share as their external database:
 * the embedded server's programs and roles (owner for Flyway, console for the pools), outliving any one console.
 */
public final class StandalonePostgres implements AutoCloseable {

    private final EmbeddedDatabase database;

    private StandalonePostgres(EmbeddedDatabase database) {
        this.database = database;
    }

    public static StandalonePostgres start(Path directory) {
        return new StandalonePostgres(EmbeddedDatabase.start(directory,
                new EmbeddedDatabaseProperties(0, Duration.ofSeconds(60), FreshDataDirectory.SHARED_BINARIES)));
    }

    /** A console's arguments for this server as its external database. */
    public List<String> consoleArguments() {
        return database.consoleArguments();
    }

    public int port() {
        return database.port();
    }

    @Override
    public void close() {
        database.close();
    }
}
