package io.tandem.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.servlet.resource.ResourceUrlProvider;

import io.tandem.identity.Role;
import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;

/**
 * The console's files and webjars are served under their own paths, and a page's links to other pages are never
 * looked up as files (that lookup, a classpath search per link and render, was most of a page's cost under load).
 */
@ConsoleTest
class StaticFilesTest {

    private static final Pattern HTMX = Pattern.compile("src=\"(/webjars/htmx\\.org/[^\"]+/dist/htmx\\.min\\.js)\"");

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    ResourceUrlProvider resourceUrls;

    @Test
    void theConsolesFilesAndTheWebjarsAreServed() throws Exception {
        assertThat(body("/css/tandem.css")).contains("{");
        assertThat(body("/js/live.js")).contains("data-server-now");
        assertThat(body("/img/tandem.svg")).contains("<svg");
        assertThat(body("/webjars/htmx.org/dist/htmx.min.js")).contains("htmx");
        mvc.perform(get("/css/no-such-file.css")).andExpect(status().isNotFound());
    }

    @Test
    void aPageLinksTheWebjarByItsVersionAndThatLinkIsServed() throws Exception {
        MockHttpSession viewer = TestUsers.login(mvc, users.create(Role.VIEWER));
        String page = mvc.perform(get("/").session(viewer)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        Matcher htmx = HTMX.matcher(page);
        assertThat(htmx.find()).as("a versioned htmx link in\n%s", page).isTrue();
        assertThat(htmx.group(1)).doesNotStartWith("/webjars/htmx.org/dist/");
        assertThat(body(htmx.group(1))).contains("htmx");
        assertThat(page).contains("href=\"/css/tandem.css\"").contains("href=\"/templates/inspect\"");
    }

    @Test
    void linksToPagesAreNotLookedUpAsFiles() {
        assertThat(resourceUrls.getHandlerMap()).doesNotContainKey("/**");
        assertThat(resourceUrls.getForLookupPath("/clusters/8a4b7c00-0000-4000-8000-000000000000/history")).isNull();
        assertThat(resourceUrls.getForLookupPath("/css/tandem.css")).isEqualTo("/css/tandem.css");
    }

    private String body(String path) throws Exception {
        return mvc.perform(get(path)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }
}
