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
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real PostgreSQL server in a temporary data directory. */
class EmbeddedDatabaseTest {

    @TempDir
    Path dir;

    private final EmbeddedDatabaseProperties properties = new EmbeddedDatabaseProperties(0, Duration.ofSeconds(60));

    @Test
    void dataSurvivesAStopAndStart() throws Exception {
        try (EmbeddedDatabase first = EmbeddedDatabase.start(dir.resolve("pg"), properties);
             Connection connection = DriverManager.getConnection(first.jdbcUrl());
             Statement sql = connection.createStatement()) {
            sql.execute("create table kept (v text)");
            sql.execute("insert into kept values ('still here')");
        }
        assertThat(dir.resolve("pg/postmaster.pid")).as("stopped cleanly").doesNotExist();
        try (EmbeddedDatabase second = EmbeddedDatabase.start(dir.resolve("pg"), properties);
             Connection connection = DriverManager.getConnection(second.jdbcUrl());
             ResultSet rows = connection.createStatement().executeQuery("select v from kept")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void aTakenPortIsReportedWithWhatToDo() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            EmbeddedDatabaseProperties fixed = new EmbeddedDatabaseProperties(taken.getLocalPort(), Duration.ofSeconds(10));
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
}
