package io.tandem.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tandem.support.FreshDataDirectory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** A real PostgreSQL server in a temporary data directory. */
class EmbeddedDatabaseTest {

    @TempDir
    Path dir;

    private final EmbeddedDatabaseProperties properties = new EmbeddedDatabaseProperties(0, Duration.ofSeconds(60), FreshDataDirectory.SHARED_BINARIES);

    @Test
    void dataSurvivesAStopAndStart() throws Exception {
        try (EmbeddedDatabase first = EmbeddedDatabase.start(dir.resolve("pg"), properties);
             Connection connection = first.connect(first.logins().owner(), EmbeddedDatabase.DATABASE);
             Statement sql = connection.createStatement()) {
            sql.execute("create table kept (v text)");
            sql.execute("insert into kept values ('still here')");
        }
        assertThat(dir.resolve("pg/postmaster.pid")).as("stopped cleanly").doesNotExist();
        try (EmbeddedDatabase second = EmbeddedDatabase.start(dir.resolve("pg"), properties);
             Connection connection = second.connect(second.logins().owner(), EmbeddedDatabase.DATABASE);
             ResultSet rows = connection.createStatement().executeQuery("select v from kept")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void aTakenPortIsReportedWithWhatToDo() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            EmbeddedDatabaseProperties fixed = new EmbeddedDatabaseProperties(taken.getLocalPort(), Duration.ofSeconds(10), FreshDataDirectory.SHARED_BINARIES);
            assertThatThrownBy(() -> EmbeddedDatabase.start(dir.resolve("pg"), fixed))
                    .isInstanceOf(DataStoreException.class)
                    .hasMessageContaining("already in use")
                    .satisfies(e -> assertThat(((DataStoreException) e).action()).contains("--tandem.embedded-db.port"));
        }
    }

    @Test
    void anUnusableDirectoryIsReportedWithWhatToDo() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        assertThatThrownBy(() -> EmbeddedDatabase.start(file.resolve("pg"), properties))
                .isInstanceOf(DataStoreException.class)
                .hasMessageContaining("Cannot create the database directory");
    }

    @Test
    void aSecondConsoleOnTheSameDataDirectoryIsRefused() {
        try (DataDirectory held = DataDirectory.open(dir)) {
            assertThatThrownBy(() -> DataDirectory.open(dir))
                    .isInstanceOf(DataStoreException.class)
                    .hasMessageContaining("Another Tandem console (pid " + ProcessHandle.current().pid() + ")")
                    .satisfies(e -> assertThat(((DataStoreException) e).action()).contains("--tandem.data-dir"));
        }
        DataDirectory.open(dir).close(); // released on close
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsReported() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> DataDirectory.open(file.resolve("sub")))
                .isInstanceOf(DataStoreException.class)
                .hasMessageContaining("Cannot create the data directory");
    }

    @Test
    void loginsNeedTheRolesPasswordsOverLoopbackAndOnlyThisUserCanTouchTheFiles() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dir.resolve("pg"), properties)) {
            String url = database.jdbcUrl();
            for (String user : List.of("postgres", DatabaseLogins.OWNER, DatabaseLogins.CONSOLE)) {
                assertThatThrownBy(() -> DriverManager.getConnection(url, user, ""))
                        .as("a passwordless login as " + user).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> DriverManager.getConnection(url, user, "guessed-password"))
                        .as("a wrong password for " + user).hasMessageContaining("password authentication failed");
            }
            try (Connection console = database.connect(database.logins().console(), EmbeddedDatabase.DATABASE);
                 ResultSet rows = console.createStatement().executeQuery("select rolsuper, rolcreaterole from pg_roles where rolname = current_user")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getBoolean(1)).as("superuser").isFalse();
                assertThat(rows.getBoolean(2)).as("may create roles").isFalse();
            }
            assertThat(Files.readString(dir.resolve("pg/pg_hba.conf"))).doesNotContainIgnoringCase("trust")
                    .contains("127.0.0.1/32    scram-sha-256");
            assertThat(Files.getPosixFilePermissions(dir.resolve("pg.passwords"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(FreshDataDirectory.SHARED_BINARIES)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            try (var installations = Files.list(FreshDataDirectory.SHARED_BINARIES).filter(p -> p.getFileName().toString().startsWith("pg-"))) {
                assertThat(installations.toList()).singleElement()
                        .satisfies(installation -> assertThat(installation.resolve("bin/postgres")).isExecutable());
            }
        }
    }

    @Test
    void aServerLeftRunningByAKilledConsoleIsStoppedAndTheNextStartSucceeds() throws Exception {
        Path ready = dir.resolve("child-ready");
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), EmbeddedDatabaseChild.class.getName(),
                dir.resolve("pg").toString(), ready.toString(), FreshDataDirectory.SHARED_BINARIES.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (!Files.exists(ready) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(ready).as("the child started its database; its output: " + dir.resolve("child.out")).exists();
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no clean stop of the server
            child.waitFor();
        }
        long orphan = Long.parseLong(Files.readAllLines(dir.resolve("pg/postmaster.pid")).get(0).strip());
        assertThat(ProcessHandle.of(orphan)).as("the killed console's server still runs").hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        try (EmbeddedDatabase second = EmbeddedDatabase.start(dir.resolve("pg"), properties);
             Connection connection = second.connect(second.logins().owner(), EmbeddedDatabase.DATABASE);
             ResultSet rows = connection.createStatement().executeQuery("select 1")) {
            assertThat(rows.next()).isTrue();
            assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive)).as("the orphan was stopped").isEmpty();
            assertThat(second.postmaster()).hasValueSatisfying(p -> assertThat(p.pid()).isNotEqualTo(orphan));
        }
    }

    @Test
    void aDatabaseOfAnEarlierVersionGetsPasswordsAndItsTablesMoveToTheOwner() throws Exception {
        // what earlier versions made: zonky's initdb with trust logins, everything owned by the superuser
        try (EmbeddedPostgres earlier = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg"))
                .setCleanDataDirectory(false).setServerConfig("listen_addresses", "127.0.0.1").start();
             Connection connection = DriverManager.getConnection(earlier.getJdbcUrl("postgres", "postgres"), "postgres", "");
             Statement sql = connection.createStatement()) {
            sql.execute("create database tandem");
            try (Connection tandem = DriverManager.getConnection(earlier.getJdbcUrl("postgres", "tandem"), "postgres", "");
                 Statement create = tandem.createStatement()) {
                create.execute("create table kept (id bigserial primary key, v text)");
                create.execute("insert into kept (v) values ('from before')");
            }
        }
        assertThat(Files.readString(dir.resolve("pg/pg_hba.conf"))).contains("trust");

        try (EmbeddedDatabase upgraded = EmbeddedDatabase.start(dir.resolve("pg"), properties)) {
            assertThatThrownBy(() -> DriverManager.getConnection(upgraded.jdbcUrl(), "postgres", ""))
                    .isInstanceOf(SQLException.class);
            try (Connection owner = upgraded.connect(upgraded.logins().owner(), EmbeddedDatabase.DATABASE);
                 Statement sql = owner.createStatement()) {
                sql.execute("insert into kept (v) values ('after')");
                try (ResultSet rows = sql.executeQuery("select tableowner from pg_tables where tablename = 'kept'")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString(1)).isEqualTo(DatabaseLogins.OWNER);
                }
                try (ResultSet rows = sql.executeQuery("select count(*) from kept")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getInt(1)).isEqualTo(2);
                }
            }
        }
        // the second start reads the kept passwords
        try (EmbeddedDatabase again = EmbeddedDatabase.start(dir.resolve("pg"), properties);
             Connection owner = again.connect(again.logins().owner(), EmbeddedDatabase.DATABASE)) {
            assertThat(owner.isValid(5)).isTrue();
        }
    }
}
