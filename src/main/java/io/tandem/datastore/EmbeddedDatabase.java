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
import java.util.Optional;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server whose data lives in the data directory and survives restarts. Only this OS user
 * can reach it: it listens on loopback with SCRAM passwords kept in a 0600 file, its programs sit in a
 * private directory, and the console logs in as a role that owns nothing (see ADR 0012). Started before
 * the connection pool, stopped after it (bean destruction order).
 */
public final class EmbeddedDatabase implements AutoCloseable {

    static final String DATABASE = "tandem";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final PostgresServer server;
    private final int port;
    private final DatabaseLogins logins;

    private EmbeddedDatabase(PostgresServer server, int port, DatabaseLogins logins) {
        this.server = server;
        this.port = port;
        this.logins = logins;
    }

    /**
     * Starts the server on {@code directory} (created and initialised if new). Beside it live the
     * passwords ({@code <name>.passwords}), the server log ({@code <name>.log}) and, unless configured
     * elsewhere, the programs ({@code postgres-bin/}).
     */
    static EmbeddedDatabase start(Path directory, EmbeddedDatabaseProperties properties) {
        Path dir = directory.toAbsolutePath().normalize();
        ensureWritable(dir);
        long started = System.nanoTime();
        Path root = dir.getParent();
        Path binaries = properties.binaries() != null ? properties.binaries().toAbsolutePath() : root.resolve("postgres-bin");
        PostgresServer server = new PostgresServer(PostgresBinaries.unpack(binaries), dir, root.resolve(dir.getFileName() + ".log"));
        server.stopLeftOver();
        if (properties.port() != 0) {
            ensurePortFree(properties.port());
        }
        Path passwordFile = root.resolve(dir.getFileName() + ".passwords");
        Optional<DatabaseLogins> kept = DatabaseLogins.read(passwordFile);
        DatabaseLogins logins = kept.orElseGet(DatabaseLogins::generate);
        boolean fresh = !server.initialised();
        if (fresh) {
            server.initdb(DatabaseLogins.SUPERUSER, logins.superuser().password());
        } else if (kept.isEmpty()) {
            // a database from an earlier version (trust logins, no passwords) or whose password file was deleted
            server.singleUser("postgres", "ALTER ROLE " + DatabaseLogins.SUPERUSER + " PASSWORD '" + logins.superuser().password() + "'\n");
            log.info("Embedded PostgreSQL in {}: passwords set for its roles; logins now need them", dir);
        }
        if (kept.isEmpty()) {
            logins.write(passwordFile);
        }
        server.writeAccessRules();
        int port = properties.port() != 0 ? properties.port() : freePort();
        server.start(port, properties.startupTimeout());
        EmbeddedDatabase database = new EmbeddedDatabase(server, port, logins);
        try {
            database.prepareRoles();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        log.info("Embedded PostgreSQL {} on 127.0.0.1:{} with data in {} ({} ms)",
                fresh ? "initialised and started" : "started", port, dir, (System.nanoTime() - started) / 1_000_000);
        return database;
    }

    /** The console's database, without user: pair it with {@link #logins()}. */
    String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    DatabaseLogins logins() {
        return logins;
    }

    /**
     * The arguments that make another console use this server as its external database (its console role for the
     * pool, its owner for Flyway): for benches and tests that run several consoles on one database.
     */
    public java.util.List<String> consoleArguments() {
        return java.util.List.of(
                "--spring.datasource.url=" + jdbcUrl(),
                "--spring.datasource.username=" + logins.console().user(),
                "--spring.datasource.password=" + logins.console().password(),
                "--spring.flyway.user=" + logins.owner().user(),
                "--spring.flyway.password=" + logins.owner().password());
    }

    public int port() {
        return port;
    }

    /** The running postmaster (its backends are its children). */
    public Optional<ProcessHandle> postmaster() {
        return server.postmaster();
    }

    Connection connect(DatabaseLogins.Login login, String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", login.user());
        properties.setProperty("password", login.password());
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", "120");
        return DriverManager.getConnection(jdbcUrl(database), properties);
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /**
     * The schema owner and the console's role, with the passwords from the file, and the console's database
     * owned by the owner. Also upgrades a database of an earlier version, where everything belonged to the
     * superuser. Table rights are granted after each migration (db/migration/afterMigrate.sql).
     */
    private void prepareRoles() {
        DatabaseLogins.Login owner = logins.owner();
        DatabaseLogins.Login console = logins.console();
        try (Connection connection = connect(logins.superuser(), "postgres"); Statement sql = connection.createStatement()) {
            for (DatabaseLogins.Login role : new DatabaseLogins.Login[] {owner, console}) {
                String verb = exists(connection, "select 1 from pg_roles where rolname = ?", role.user()) ? "alter" : "create";
                sql.execute(verb + " role " + role.user() + " login nosuperuser nocreatedb nocreaterole noreplication nobypassrls"
                        + " password '" + role.password() + "'");
            }
            if (exists(connection, "select 1 from pg_database where datname = ?", DATABASE)) {
                sql.execute("alter database " + DATABASE + " owner to " + owner.user());
            } else {
                sql.execute("create database " + DATABASE + " owner " + owner.user());
            }
            sql.execute("revoke all on database " + DATABASE + " from public");
            sql.execute("grant connect on database " + DATABASE + " to " + console.user());
        } catch (SQLException e) {
            throw new DataStoreException("The embedded PostgreSQL server started but its roles could not be prepared: "
                    + e.getMessage(), "If the passwords in the data directory no longer match, delete "
                    + server.dataDir().getFileName() + ".passwords beside the database directory and start again.", e);
        }
        try (Connection connection = connect(logins.superuser(), DATABASE); Statement sql = connection.createStatement()) {
            // earlier versions created everything as the superuser: hand it to the owner (REASSIGN OWNED
            // cannot move the bootstrap superuser's objects)
            sql.execute("""
                    do $$
                    declare
                        item record;
                    begin
                        for item in select c.oid::regclass as name from pg_class c
                                where c.relnamespace = 'public'::regnamespace and c.relowner = 'postgres'::regrole
                                  and c.relkind in ('r', 'p', 'v', 'm', 'f') loop
                            execute format('alter table %s owner to %I', item.name, '${owner}');
                        end loop;
                        for item in select c.oid::regclass as name from pg_class c
                                where c.relnamespace = 'public'::regnamespace and c.relowner = 'postgres'::regrole
                                  and c.relkind = 'S' loop
                            execute format('alter sequence %s owner to %I', item.name, '${owner}');
                        end loop;
                        for item in select p.oid::regprocedure as name from pg_proc p
                                where p.pronamespace = 'public'::regnamespace and p.proowner = 'postgres'::regrole loop
                            execute format('alter routine %s owner to %I', item.name, '${owner}');
                        end loop;
                        if (select nspowner from pg_namespace where nspname = 'public') = 'postgres'::regrole then
                            execute format('alter schema public owner to %I', '${owner}');
                        end if;
                    end
                    $$""".replace("${owner}", owner.user()));
        } catch (SQLException e) {
            throw new DataStoreException("The embedded PostgreSQL server started but the tables of an earlier version could "
                    + "not be handed to " + owner.user() + ": " + e.getMessage(),
                    "Look at " + server.dataDir().getFileName() + ".log beside the database directory.", e);
        }
    }

    private static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
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

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new DataStoreException("No free port on 127.0.0.1 for the embedded PostgreSQL server: " + e.getMessage(),
                    "Set one with --tandem.embedded-db.port=N.", e);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
            log.info("Embedded PostgreSQL stopped ({})", server.dataDir());
        } catch (DataStoreException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
