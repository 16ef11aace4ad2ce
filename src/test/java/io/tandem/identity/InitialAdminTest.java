package io.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.datastore.DataDirectory;
import io.tandem.support.ConsoleTest;

/** The shared test console started on an empty database, so it made the initial admin itself. */
@ConsoleTest
class InitialAdminTest {

    @Autowired
    DataDirectory dataDirectory;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MockMvc mvc;

    @Test
    void theFirstStartCreatesAdminWithAPasswordThatMustBeChangedAndIsThenForgotten() throws Exception {
        Path file = dataDirectory.resolve(InitialAdmin.PASSWORD_FILE);
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String password = Files.readString(file).strip();
        assertThat(password).hasSize(20);
        assertThat(jdbc.queryForObject("select role from app_user where username = 'admin'", String.class)).isEqualTo("ADMIN");
        assertThat(jdbc.queryForObject("select password_hash from app_user where username = 'admin'", String.class))
                .startsWith("{bcrypt}").doesNotContain(password);

        MockHttpSession session = (MockHttpSession) mvc.perform(formLogin().user("admin").password(password))
                .andReturn().getRequest().getSession(false);
        mvc.perform(get("/").session(session)).andExpect(redirectedUrl("/account/password"));
        mvc.perform(post("/account/password").session(session).with(csrf()).param("currentPassword", password)
                .param("newPassword", "owner-chose-this").param("repeatPassword", "owner-chose-this"))
                .andExpect(redirectedUrl("/"));
        assertThat(file).as("the generated password does not linger on disk").doesNotExist();
    }
}
