package io.tandem.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.identity.Role;
import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;

@ConsoleTest
class AuditTest {

    @Autowired
    AuditLog audit;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;

    @Test
    void theDatabaseRefusesToChangeOrRemoveAuditRows() {
        audit.record("tester", "TEST_ACTION", "immutable", Outcome.SUCCESS, Map.of("n", 1));
        Long id = jdbc.queryForObject("select max(id) from audit_event where target = 'immutable'", Long.class);
        // the console's role has no such rights; the owner hits the append-only triggers (DatabaseRolesTest)
        assertThatThrownBy(() -> jdbc.update("update audit_event set actor = 'someone-else' where id = ?", id))
                .rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> jdbc.update("delete from audit_event where id = ?", id))
                .rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> jdbc.execute("truncate audit_event"))
                .rootCause().hasMessageContaining("permission denied");
        assertThat(jdbc.queryForObject("select actor from audit_event where id = ?", String.class, id)).isEqualTo("tester");
    }

    @Test
    void secretsInDetailsAreMaskedAtAnyDepth() {
        Map<String, Object> masked = AuditLog.mask(Map.of(
                "password", "hunter2",
                "nested", Map.of("agentToken", "abc", "sshPrivateKey", "-----BEGIN", "name", "nfo-a"),
                "list", List.of(Map.of("credential", "x", "port", 22))));
        assertThat(masked.toString()).doesNotContain("hunter2", "abc", "-----BEGIN").contains("nfo-a", "22");
        assertThat(masked.get("password")).isEqualTo(AuditLog.MASK);
    }

    @Test
    void adminsFilterTheLogOverTheApi() throws Exception {
        String marker = "filter-target-" + System.nanoTime();
        audit.record("filterer", "CLUSTER_UPDATE", marker, Outcome.SUCCESS, Map.of());
        audit.record("filterer", "LOGIN", marker, Outcome.FAILURE, Map.of());
        String admin = users.token(users.create(Role.ADMIN));
        mvc.perform(get("/api/v1/audit").param("target", marker).param("outcome", "FAILURE")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(1))
                .andExpect(jsonPath("$.items[0].action").value("LOGIN"));
        mvc.perform(get("/api/v1/audit").param("target", marker).param("action", "cluster")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(jsonPath("$.total").value(1))
                .andExpect(jsonPath("$.items[0].actor").value("filterer"));
        mvc.perform(get("/api/v1/audit").param("outcome", "MAYBE").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isBadRequest());
    }

    @Test
    void theAuditPageShowsEntriesAsText() throws Exception {
        String marker = "<b>page-" + System.nanoTime() + "</b>";
        audit.record("pager", "TEST_ACTION", marker, Outcome.SUCCESS, Map.of());
        var admin = users.create(Role.ADMIN);
        String page = mvc.perform(get("/audit").param("actor", "pager")
                        .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors
                                .user(admin.username()).roles("ADMIN")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("&lt;b&gt;page-").doesNotContain(marker);
    }
}
