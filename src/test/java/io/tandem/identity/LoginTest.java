package io.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;
import io.tandem.support.TestUsers.Credentials;

@ConsoleTest
class LoginTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void fiveFailedLoginsLockTheGuessingAddressOutButNotTheOwnersAddress() throws Exception {
        Credentials user = users.create(Role.ADMIN);
        String attacker = "198.51.100.21";
        for (int i = 0; i < 5; i++) {
            mvc.perform(TestUsers.loginFrom(attacker, user.username(), "wrong-" + i)).andExpect(redirectedUrl("/login?error"));
        }
        // from the guessing address even the right password is refused, before it is checked
        mvc.perform(TestUsers.loginFrom(attacker, user.username(), user.password())).andExpect(redirectedUrl("/login?error"));
        assertThat(auditCount(user.username(), "LOGIN", "FAILURE")).isEqualTo(5);
        assertThat(auditCount(user.username(), "USER_LOCKED", "SUCCESS")).isEqualTo(1);
        assertThat(jdbc.queryForObject("select details from audit_event where actor = ? and action = 'USER_LOCKED'",
                String.class, user.username())).contains(attacker);
        assertThat(auditCount(user.username(), "LOGIN", "DENIED")).isEqualTo(1);

        // the owner, at their own address, logs in all the same: the attacker cannot lock them out
        MockHttpSession owner = (MockHttpSession) mvc.perform(TestUsers.loginFrom("192.0.2.31", user.username(), user.password()))
                .andExpect(redirectedUrl("/")).andReturn().getRequest().getSession(false);
        mvc.perform(get("/").session(owner)).andExpect(status().isOk());
        // admins see that some address is locked out of this user
        mvc.perform(get("/api/v1/users/" + user.id()).header("Authorization", "Bearer " + users.token(user)))
                .andExpect(jsonPath("$.locked").value(true));
    }

    @Test
    void oneAddressGuessingAcrossManyUsersIsLockedOutOfAll() throws Exception {
        String sprayer = "198.51.100.22";
        for (int i = 0; i < 20; i++) {
            mvc.perform(TestUsers.loginFrom(sprayer, "spray-" + i + "-" + System.nanoTime(), "wrong-password"))
                    .andExpect(redirectedUrl("/login?error"));
        }
        Credentials user = users.create(Role.VIEWER);
        mvc.perform(TestUsers.loginFrom(sprayer, user.username(), user.password())).andExpect(redirectedUrl("/login?error"));
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'ADDRESS_LOCKED' and target = ?",
                Integer.class, sprayer)).isEqualTo(1);
        mvc.perform(TestUsers.loginFrom("192.0.2.32", user.username(), user.password())).andExpect(redirectedUrl("/"));
    }

    @Test
    void aFailedLoginForAnUnknownUserIsAuditedWithTheNameTried() throws Exception {
        mvc.perform(formLogin().user("nobody-here").password("x")).andExpect(redirectedUrl("/login?error"));
        assertThat(auditCount("nobody-here", "LOGIN", "FAILURE")).isPositive();
    }

    @Test
    void loginAndLogoutAreAudited() throws Exception {
        Credentials user = users.create(Role.OPERATOR);
        MockHttpSession session = login(user);
        mvc.perform(post("/logout").session(session).with(csrf())).andExpect(redirectedUrl("/login?logout"));
        assertThat(auditCount(user.username(), "LOGIN", "SUCCESS")).isEqualTo(1);
        assertThat(auditCount(user.username(), "LOGOUT", "SUCCESS")).isEqualTo(1);
        // the old session is gone
        mvc.perform(get("/").session(session)).andExpect(redirectedUrl("/login"));
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefusedAndChangesNothing() throws Exception {
        Credentials admin = users.create(Role.ADMIN);
        MockHttpSession session = login(admin);
        mvc.perform(post("/admin/users").session(session).param("username", "csrf-victim").param("role", "ADMIN"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/admin/users").session(session).param("username", "csrf-victim").param("role", "ADMIN")
                .with(csrf().useInvalidToken())).andExpect(status().isForbidden());
        assertThat(jdbc.queryForObject("select count(*) from app_user where username = 'csrf-victim'", Integer.class)).isZero();
    }

    @Test
    void htmxRequestsCarryTheCsrfTokenInAHeader() throws Exception {
        Credentials admin = users.create(Role.ADMIN);
        MockHttpSession session = login(admin);
        String page = mvc.perform(get("/").session(session)).andReturn().getResponse().getContentAsString();
        // the layout hands htmx the token for every request it makes
        String header = page.replaceAll("(?s).*hx-headers=\"\\{&quot;([^&]+)&quot;: &quot;([^&]+)&quot;}\".*", "$1 $2");
        String[] parts = header.split(" ");
        assertThat(parts).hasSize(2);
        assertThat(parts[0]).isEqualTo("X-CSRF-TOKEN");
        mvc.perform(post("/admin/users").session(session).header("HX-Request", "true").header(parts[0], parts[1])
                .param("username", "htmx-made-" + System.nanoTime()).param("role", "VIEWER"))
                .andExpect(status().isOk());
    }

    @Test
    void aTemporaryPasswordMustBeChangedBeforeAnythingElse() throws Exception {
        Credentials user = users.createWithTemporaryPassword(Role.VIEWER);
        MockHttpSession session = login(user);
        mvc.perform(get("/").session(session)).andExpect(redirectedUrl("/account/password"));
        mvc.perform(get("/account/tokens").session(session)).andExpect(redirectedUrl("/account/password"));
        mvc.perform(get("/").session(session).header("HX-Request", "true")).andExpect(status().isNoContent());

        // a weak choice is refused, beside its field
        String refused = mvc.perform(post("/account/password").session(session).with(csrf())
                        .param("currentPassword", user.password()).param("newPassword", "short").param("repeatPassword", "short"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("at least 10 characters");

        mvc.perform(post("/account/password").session(session).with(csrf())
                        .param("currentPassword", user.password()).param("newPassword", "a-much-better-one")
                        .param("repeatPassword", "a-much-better-one"))
                .andExpect(redirectedUrl("/"));
        mvc.perform(get("/").session(session)).andExpect(status().isOk());
        assertThat(auditCount(user.username(), "PASSWORD_CHANGE", "SUCCESS")).isEqualTo(1);
    }

    @Test
    void disablingAUserEndsTheirSessionAndRefusesNewLogins() throws Exception {
        Credentials admin = users.create(Role.ADMIN);
        Credentials victim = users.create(Role.OPERATOR);
        MockHttpSession victimSession = login(victim);
        mvc.perform(get("/").session(victimSession)).andExpect(status().isOk());

        mvc.perform(post("/admin/users/" + victim.id()).session(login(admin)).with(csrf())
                .param("role", "OPERATOR")).andExpect(status().is3xxRedirection()); // enabled unchecked = false

        mvc.perform(get("/").session(victimSession)).andExpect(redirectedUrl("/login?expired"));
        mvc.perform(formLogin().user(victim.username()).password(victim.password())).andExpect(redirectedUrl("/login?error"));
        assertThat(auditCount(victim.username(), "LOGIN", "DENIED")).isEqualTo(1);
    }

    private MockHttpSession login(Credentials user) throws Exception {
        return (MockHttpSession) mvc.perform(formLogin().user(user.username()).password(user.password()))
                .andExpect(redirectedUrl("/")).andReturn().getRequest().getSession(false);
    }

    private int auditCount(String actor, String action, String outcome) {
        return jdbc.queryForObject("select count(*) from audit_event where actor = ? and action = ? and outcome = ?",
                Integer.class, actor, action, outcome);
    }
}
