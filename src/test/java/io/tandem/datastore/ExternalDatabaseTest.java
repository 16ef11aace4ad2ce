package io.tandem.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.tandem.ConsoleApplication;
import io.tandem.support.FreshDataDirectory;

/**
 * With SPRING_DATASOURCE_URL the console uses that server and starts nothing embedded. The
 * "external" server here is a separate real PostgreSQL the test starts itself.
 */
@SpringBootTest(classes = ConsoleApplication.class)
class ExternalDatabaseTest {

    private static EmbeddedDatabase external;

    @DynamicPropertySource
    static void externalServer(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("tandem-external-pg");
        external = EmbeddedDatabase.start(dir.resolve("pg"), new EmbeddedDatabaseProperties(0, Duration.ofSeconds(60), FreshDataDirectory.SHARED_BINARIES));
        // the two roles the README documents for an external server: the console's and the schema owner's
        registry.add("spring.datasource.url", external::jdbcUrl);
        registry.add("spring.datasource.username", () -> external.logins().console().user());
        registry.add("spring.datasource.password", () -> external.logins().console().password());
        registry.add("spring.flyway.user", () -> external.logins().owner().user());
        registry.add("spring.flyway.password", () -> external.logins().owner().password());
    }

    @AfterAll
    static void stop() {
        external.close();
    }

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataDirectory dataDirectory;

    @Test
    void theConfiguredServerHoldsTheSchemaAndNothingEmbeddedStarts() throws Exception {
        assertThat(context.getBeansOfType(EmbeddedDatabase.class)).isEmpty();
        assertThat(dataDirectory.resolve("pg")).doesNotExist();
        assertThat(jdbc.queryForObject("select inet_server_port()", Integer.class)).isEqualTo(external.port());
        assertThat(jdbc.queryForObject("select current_user", String.class)).isEqualTo(DatabaseLogins.CONSOLE);
        try (Connection owner = external.connect(external.logins().owner(), EmbeddedDatabase.DATABASE);
             ResultSet rows = owner.createStatement().executeQuery(
                     "select max(version), min(installed_by) from flyway_schema_history")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isNotBlank();
            assertThat(rows.getString(2)).as("migrated by").isEqualTo(DatabaseLogins.OWNER);
        }
    }

    @Test
    void theConsolesRoleAddsAndReadsAuditEntriesButCannotChangeThem() {
        jdbc.update("insert into audit_event (actor, action, outcome) values ('external-test', 'TEST', 'SUCCESS')");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where actor = 'external-test'", Integer.class)).isOne();
        assertThatThrownBy(() -> jdbc.update("delete from audit_event where actor = 'external-test'"))
                .rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> jdbc.execute("alter table audit_event disable trigger all"))
                .rootCause().hasMessageContaining("must be owner");
    }
}
