package io.tandem.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;

import com.zaxxer.hikari.HikariDataSource;

import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.support.BlackHole;
import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;

/**
 * More black-holed nodes (agent and SSH: they accept TCP and never answer) than the database pool has connections,
 * read by the monitor and asked for by pages at the same time: logins and pages that need no node still answer while
 * every one of those calls waits, and the pages that do read the silent nodes answer with the timeout as the reason.
 */
@ConsoleTest
@TestPropertySource(properties = {
        "tandem.monitor.enabled=true",
        "tandem.ssh.connect-timeout=30s",
        "tandem.agent-client.connect=30s",
        "tandem.agent-client.request=30s"})
class StalledNodesTest {

    private static final int POOL = 4;
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(30);
    /** Far above what a page takes on a loaded machine, far below the node timeout it would wait out if stalled. */
    private static final Duration ANSWERS_WITHOUT_WAITING = NODE_TIMEOUT.dividedBy(3);

    /** A small pool, so that a handful of silent nodes would be enough to take all of it. */
    @TestConfiguration
    static class SmallPool {
        @Bean
        static BeanPostProcessor smallHikariPool() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (bean instanceof HikariDataSource hikari) {
                        hikari.setMaximumPoolSize(POOL);
                    }
                    return bean;
                }
            };
        }
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    FleetService fleet;

    @Test
    void loginAndPagesAnswerWhileSilentNodesHoldEveryReader() throws Exception {
        TestUsers.Credentials viewer = users.create(Role.VIEWER);
        String token = users.token(viewer);
        try (BlackHole hole = BlackHole.open()) {
            List<ClusterView> ssh = new ArrayList<>();
            List<ClusterView> agent = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ssh.add(fleet.create(hole.pair(AccessKind.SSH)));
                agent.add(fleet.create(hole.pair(AccessKind.AGENT)));
            }
            // the monitor's readers now wait on twelve silent nodes: more calls than the pool has connections
            hole.awaitOpen(POOL + 2, Duration.ofSeconds(60));

            ExecutorService browsers = Executors.newFixedThreadPool(5);
            try {
                MockHttpSession other = TestUsers.login(mvc, users.create(Role.VIEWER));
                Future<MockHttpServletResponse> sshDriftPage = browsers.submit(answer(get("/clusters/" + ssh.get(0).id() + "/drift").session(other)));
                Future<MockHttpServletResponse> agentDriftPage = browsers.submit(answer(get("/clusters/" + agent.get(0).id() + "/drift").session(other)));
                Future<MockHttpServletResponse> sshDriftApi = browsers.submit(answer(api("/api/v1/clusters/" + ssh.get(1).id() + "/drift", token)));
                Future<MockHttpServletResponse> agentDriftApi = browsers.submit(answer(api("/api/v1/clusters/" + agent.get(1).id() + "/drift", token)));
                Future<MockHttpServletResponse> templates = browsers.submit(answer(api("/api/v1/clusters/" + agent.get(2).id() + "/templates", token)));
                hole.awaitOpen(POOL + 2, Duration.ofSeconds(10));

                MockHttpSession session = quickly("form login", () -> TestUsers.login(mvc, viewer));
                String overview = quickly("the overview", () -> mvc.perform(get("/").session(session)).andReturn().getResponse())
                        .getContentAsString();
                assertThat(overview).as("logged in, the overview lists the silent pairs").contains(ssh.get(0).name()).contains(agent.get(0).name());
                for (ClusterView pair : List.of(ssh.get(0), agent.get(0))) {
                    assertOk(quickly("the pair page of " + pair.name(),
                            () -> mvc.perform(get("/clusters/" + pair.id()).session(session)).andReturn().getResponse()));
                    assertOk(quickly("the health panel of " + pair.name(),
                            () -> mvc.perform(get("/clusters/" + pair.id() + "/health").session(session)).andReturn().getResponse()));
                    assertOk(quickly("the state API of " + pair.name(),
                            () -> mvc.perform(api("/api/v1/clusters/" + pair.id() + "/state", token)).andReturn().getResponse()));
                }
                assertThat(hole.openConnections()).as("the silent nodes still held their calls when the pages answered")
                        .isGreaterThan(POOL);

                // an SSH node has one connection: a request waits for the reader's handshake before trying its own
                long deadline = System.nanoTime() + NODE_TIMEOUT.multipliedBy(4).plusSeconds(60).toNanos();
                assertThat(within(sshDriftPage, deadline).getContentAsString())
                        .contains("Could not read the nodes&#39; configuration: timeout");
                assertThat(within(agentDriftPage, deadline).getContentAsString())
                        .contains("Could not read the nodes&#39; configuration: timeout");
                for (Future<MockHttpServletResponse> drift : List.of(sshDriftApi, agentDriftApi)) {
                    MockHttpServletResponse problem = within(drift, deadline);
                    assertThat(problem.getStatus()).isEqualTo(504);
                    assertThat(problem.getContentType()).startsWith("application/problem+json");
                }
                MockHttpServletResponse parity = within(templates, deadline);
                assertThat(parity.getStatus()).isEqualTo(200);
                assertThat(parity.getContentAsString()).contains("\"error\":\"timeout: ");
            } finally {
                browsers.shutdownNow();
            }
        }
    }

    private static MockHttpServletResponse within(Future<MockHttpServletResponse> request, long deadlineNanos) throws Exception {
        return request.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private static void assertOk(MockHttpServletResponse response) {
        assertThat(response.getStatus()).isEqualTo(200);
    }

    private Callable<MockHttpServletResponse> answer(RequestBuilder request) {
        return () -> mvc.perform(request).andReturn().getResponse();
    }

    private static RequestBuilder api(String path, String token) {
        return get(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }

    private static <T> T quickly(String what, Callable<T> request) throws Exception {
        long started = System.nanoTime();
        T result = request.call();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).as(what + " answered without waiting for a silent node").isLessThan(ANSWERS_WITHOUT_WAITING);
        return result;
    }
}
