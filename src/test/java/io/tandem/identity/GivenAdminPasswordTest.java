package io.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.ConsoleApplication;
import io.tandem.datastore.DataDirectory;

/** TANDEM_ADMIN_PASSWORD: the operator chose the password, so no forced change and no file. */
@SpringBootTest(classes = ConsoleApplication.class, properties = "tandem.admin-password=operator-chosen-1")
@AutoConfigureMockMvc
class GivenAdminPasswordTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    DataDirectory dataDirectory;

    @Test
    void adminLogsInWithTheGivenPasswordAndGoesStraightToTheFleet() throws Exception {
        MockHttpSession session = (MockHttpSession) mvc.perform(formLogin().user("admin").password("operator-chosen-1"))
                .andReturn().getRequest().getSession(false);
        mvc.perform(get("/").session(session)).andExpect(status().isOk());
        assertThat(dataDirectory.resolve(InitialAdmin.PASSWORD_FILE)).doesNotExist();
    }
}
