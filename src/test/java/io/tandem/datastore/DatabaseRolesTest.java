package io.tandem.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.tandem.audit.AuditLog;
import io.tandem.audit.Outcome;
import io.tandem.support.ConsoleTest;

/**
 * What a local user found in issue 12: the console's database accepted anyone and the console's own
 * login could rewrite history. Now logins need passwords, and the console's role only adds and reads
 * audit entries.
 */
@ConsoleTest
class DatabaseRolesTest {

    @Autowired
    EmbeddedDatabase database;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AuditLog audit;

    @Test
    void aLoginWithoutPasswordIsRefused() {
        for (String user : new String[] {"postgres", DatabaseLogins.OWNER, DatabaseLogins.CONSOLE}) {
            assertThatThrownBy(() -> DriverManager.getConnection(database.jdbcUrl(), user, ""))
                    .as(user).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void theConsoleRunsAsItsOwnRoleThatOwnsNothing() {
        assertThat(jdbc.queryForObject("select current_user", String.class)).isEqualTo(DatabaseLogins.CONSOLE);
        assertThat(jdbc.queryForObject("select count(*) from pg_tables where tableowner = current_user", Integer.class)).isZero();
        assertThatThrownBy(() -> jdbc.queryForObject("select count(*) from flyway_schema_history", Integer.class))
                .rootCause().hasMessageContaining("permission denied");
    }

    @Test
    void theConsolesRoleCannotDisableTheAuditTriggersOrRemoveAuditRows() {
        audit.record("roles-test", "TEST_ACTION", "kept", Outcome.SUCCESS, Map.of());
        Long id = jdbc.queryForObject("select max(id) from audit_event where actor = 'roles-test'", Long.class);
        assertThatThrownBy(() -> jdbc.execute("alter table audit_event disable trigger all"))
                .rootCause().hasMessageContaining("must be owner");
        assertThatThrownBy(() -> jdbc.update("delete from audit_event where id = ?", id))
                .rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> jdbc.execute("copy (select 1) to program 'id'"))
                .rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> jdbc.execute("create table mine (x int)"))
                .rootCause().hasMessageContaining("permission denied");
        assertThat(jdbc.queryForObject("select actor from audit_event where id = ?", String.class, id)).isEqualTo("roles-test");
    }

    @Test
    void evenTheSchemaOwnerMeetsTheAppendOnlyTriggers() throws SQLException {
        try (Connection owner = database.connect(database.logins().owner(), EmbeddedDatabase.DATABASE);
             Statement sql = owner.createStatement()) {
            assertThatThrownBy(() -> sql.execute("delete from audit_event"))
                    .hasMessageContaining("append-only");
        }
    }
}
