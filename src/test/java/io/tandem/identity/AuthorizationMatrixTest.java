package io.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;
import io.tandem.support.TestUsers.Credentials;

/**
 * Every endpoint the console registers, called as anonymous, as VIEWER, OPERATOR and ADMIN in a
 * browser session, and with each role's API token. The endpoints come from the handler mappings,
 * so a new endpoint without an entry in {@link #REQUIRED} fails this test.
 */
@ConsoleTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {

    enum Access { PUBLIC, VIEWER, OPERATOR, ADMIN }

    /** What each endpoint requires. UI endpoints take sessions only; /api endpoints take tokens only. */
    private static final Map<String, Access> REQUIRED = Map.ofEntries(
            Map.entry("GET /", Access.VIEWER),
            Map.entry("GET /login", Access.PUBLIC),
            Map.entry("GET /fleet/events", Access.VIEWER),
            Map.entry("GET /error", Access.PUBLIC),
            Map.entry("GET /v3/api-docs", Access.PUBLIC),
            Map.entry("GET /v3/api-docs.yaml", Access.PUBLIC),
            Map.entry("GET /v3/api-docs/swagger-config", Access.PUBLIC),
            Map.entry("GET /swagger-ui.html", Access.PUBLIC),
            Map.entry("GET /clusters/new", Access.ADMIN),
            Map.entry("POST /clusters", Access.ADMIN),
            Map.entry("GET /clusters/{id}", Access.VIEWER),
            Map.entry("GET /clusters/{id}/health", Access.VIEWER),
            Map.entry("GET /clusters/{id}/events", Access.VIEWER),
            Map.entry("GET /clusters/{id}/alerts", Access.VIEWER),
            Map.entry("GET /clusters/{id}/history", Access.VIEWER),
            Map.entry("GET /clusters/{id}/operations", Access.VIEWER),
            Map.entry("GET /clusters/{id}/operations/new", Access.OPERATOR),
            Map.entry("GET /clusters/{id}/operations/actions", Access.VIEWER),
            Map.entry("GET /clusters/{id}/operations/pacemaker", Access.VIEWER),
            Map.entry("GET /clusters/{id}/operations/agent", Access.VIEWER),
            Map.entry("GET /clusters/{id}/backups", Access.VIEWER),
            Map.entry("GET /api/v1/clusters/{id}/backups", Access.VIEWER),
            Map.entry("POST /clusters/{id}/operations", Access.OPERATOR),
            Map.entry("GET /operations/{id}", Access.VIEWER),
            Map.entry("GET /api/v1/clusters/{id}/operations", Access.VIEWER),
            Map.entry("GET /api/v1/clusters/{id}/operations/preflight", Access.VIEWER),
            Map.entry("POST /api/v1/clusters/{id}/operations", Access.OPERATOR),
            Map.entry("GET /api/v1/operations/{id}", Access.VIEWER),
            Map.entry("GET /clusters/{id}/drift", Access.VIEWER),
            Map.entry("GET /clusters/{id}/drift/file", Access.OPERATOR),
            Map.entry("POST /clusters/{id}/drift/ignore", Access.ADMIN),
            Map.entry("GET /api/v1/clusters/{id}/drift", Access.VIEWER),
            Map.entry("GET /api/v1/clusters/{id}/drift/{*path}", Access.OPERATOR),
            Map.entry("PUT /api/v1/clusters/{id}/drift-ignore", Access.ADMIN),
            Map.entry("POST /clusters/{id}/alerts", Access.ADMIN),
            Map.entry("POST /clusters/{id}/alerts/test", Access.OPERATOR),
            Map.entry("POST /clusters/{id}/alerts/mail", Access.ADMIN),
            Map.entry("POST /clusters/{id}/alerts/mail/test", Access.OPERATOR),
            Map.entry("PUT /api/v1/clusters/{id}/alerts/mail", Access.ADMIN),
            Map.entry("POST /api/v1/clusters/{id}/alerts/mail/test", Access.OPERATOR),
            Map.entry("GET /api/v1/clusters/{id}/alerts", Access.VIEWER),
            Map.entry("PUT /api/v1/clusters/{id}/alerts", Access.ADMIN),
            Map.entry("POST /api/v1/clusters/{id}/alerts/test", Access.OPERATOR),
            Map.entry("GET /api/v1/clusters/{id}/state", Access.VIEWER),
            Map.entry("GET /api/v1/clusters/{id}/history", Access.VIEWER),
            Map.entry("GET /api/v1/events", Access.VIEWER),
            Map.entry("POST /clusters/{id}", Access.ADMIN),
            Map.entry("GET /clusters/{id}/edit", Access.ADMIN),
            Map.entry("GET /clusters/{id}/delete", Access.ADMIN),
            Map.entry("POST /clusters/{id}/delete", Access.ADMIN),
            Map.entry("POST /clusters/{clusterId}/nodes/{nodeId}/test", Access.OPERATOR),
            Map.entry("POST /clusters/{clusterId}/nodes/{nodeId}/pin", Access.ADMIN),
            Map.entry("GET /account", Access.VIEWER),
            Map.entry("GET /account/password", Access.VIEWER),
            Map.entry("POST /account/password", Access.VIEWER),
            Map.entry("GET /account/tokens", Access.VIEWER),
            Map.entry("POST /account/tokens", Access.VIEWER),
            Map.entry("POST /account/tokens/{id}/revoke", Access.VIEWER),
            Map.entry("GET /admin/users", Access.ADMIN),
            Map.entry("POST /admin/users", Access.ADMIN),
            Map.entry("GET /admin/users/{id}", Access.ADMIN),
            Map.entry("POST /admin/users/{id}", Access.ADMIN),
            Map.entry("POST /admin/users/{id}/password", Access.ADMIN),
            Map.entry("POST /admin/users/{id}/tokens/{tokenId}/revoke", Access.ADMIN),
            Map.entry("GET /audit", Access.ADMIN),
            Map.entry("GET /templates/inspect", Access.VIEWER),
            Map.entry("GET /demo", Access.VIEWER),
            Map.entry("POST /demo/faults", Access.OPERATOR),
            Map.entry("POST /demo/heal", Access.OPERATOR),
            Map.entry("GET /api/v1/demo/faults", Access.VIEWER),
            Map.entry("POST /api/v1/demo/faults", Access.OPERATOR),
            Map.entry("DELETE /api/v1/demo/faults", Access.OPERATOR),
            Map.entry("POST /templates/inspect", Access.VIEWER),
            Map.entry("POST /api/v1/templates/inspect", Access.VIEWER),
            Map.entry("GET /api/v1/clusters", Access.VIEWER),
            Map.entry("POST /api/v1/clusters", Access.ADMIN),
            Map.entry("GET /api/v1/clusters/{id}", Access.VIEWER),
            Map.entry("GET /api/v1/clusters/{id}/templates", Access.VIEWER),
            Map.entry("PUT /api/v1/clusters/{id}", Access.ADMIN),
            Map.entry("DELETE /api/v1/clusters/{id}", Access.ADMIN),
            Map.entry("POST /api/v1/clusters/{id}/nodes/{nodeName}/pin", Access.ADMIN),
            Map.entry("POST /api/v1/clusters/{id}/setup/discovery", Access.ADMIN),
            Map.entry("POST /api/v1/clusters/{id}/setup/plan", Access.ADMIN),
            Map.entry("POST /api/v1/clusters/{id}/setup/dry-run", Access.ADMIN),
            Map.entry("POST /api/v1/clusters/{id}/setup/adopt", Access.ADMIN),
            Map.entry("GET /clusters/{id}/setup", Access.ADMIN),
            Map.entry("POST /clusters/{id}/setup/plan", Access.ADMIN),
            Map.entry("POST /clusters/{id}/setup/dry-run", Access.ADMIN),
            Map.entry("POST /clusters/{id}/setup/adopt", Access.ADMIN),
            Map.entry("POST /clusters/{id}/setup/{action:apply|resume|undo|dismantle}", Access.ADMIN),
            Map.entry("GET /api/v1/users", Access.ADMIN),
            Map.entry("POST /api/v1/users", Access.ADMIN),
            Map.entry("GET /api/v1/users/{id}", Access.ADMIN),
            Map.entry("PATCH /api/v1/users/{id}", Access.ADMIN),
            Map.entry("POST /api/v1/users/{id}/password", Access.ADMIN),
            Map.entry("GET /api/v1/users/{id}/tokens", Access.ADMIN),
            Map.entry("DELETE /api/v1/users/{id}/tokens/{tokenId}", Access.ADMIN),
            Map.entry("GET /api/v1/tokens", Access.VIEWER),
            Map.entry("POST /api/v1/tokens", Access.VIEWER),
            Map.entry("DELETE /api/v1/tokens/{id}", Access.VIEWER),
            Map.entry("GET /api/v1/audit", Access.ADMIN),
            Map.entry("GET /actuator/health", Access.PUBLIC),
            Map.entry("GET /actuator/prometheus", Access.ADMIN));

    /** Reached with an ADMIN session or any token, as a Prometheus scraper would. */
    private static final Set<String> TOKEN_OR_ADMIN = Set.of("GET /actuator/prometheus");

    @Autowired
    MockMvc mvc;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    TestUsers testUsers;

    private final Map<Role, MockHttpSession> sessions = new TreeMap<>();
    private final Map<Role, String> tokens = new TreeMap<>();

    @BeforeAll
    void loginEveryRole() throws Exception {
        for (Role role : Role.values()) {
            Credentials user = testUsers.create(role);
            MockHttpSession session = (MockHttpSession) mvc.perform(SecurityMockMvcRequestBuilders.formLogin()
                    .user(user.username()).password(user.password())).andReturn().getRequest().getSession(false);
            sessions.put(role, session);
            tokens.put(role, testUsers.token(user));
        }
    }

    @Test
    void everyRegisteredEndpointHasAnExpectedAccess() {
        Set<String> registered = registeredEndpoints();
        Set<String> unlisted = new TreeSet<>(registered);
        unlisted.removeAll(REQUIRED.keySet());
        assertThat(unlisted).as("endpoints missing from the authorization matrix").isEmpty();
        assertThat(registered).as("the matrix must cover real endpoints").hasSizeGreaterThan(30);
    }

    @Test
    void everyEndpointAnswersEachCallerAsExpected() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Access> entry : new TreeMap<>(REQUIRED).entrySet()) {
            String endpoint = entry.getKey();
            Access required = entry.getValue();
            boolean api = endpoint.contains(" /api/");
            boolean machine = api || endpoint.contains(" /actuator/");
            check(failures, endpoint, "anonymous", call(endpoint, null, null), required == Access.PUBLIC, machine);
            for (Role role : Role.values()) {
                boolean allowedInSession = !api && allows(required, role);
                check(failures, endpoint, role + " session", call(endpoint, sessions.get(role), null),
                        required == Access.PUBLIC || allowedInSession, api || !allows(required, role) && required != Access.PUBLIC);
                boolean allowedWithToken = (api && allows(required, role)) || TOKEN_OR_ADMIN.contains(endpoint);
                check(failures, endpoint, role + " token", call(endpoint, null, tokens.get(role)),
                        required == Access.PUBLIC || allowedWithToken, api || TOKEN_OR_ADMIN.contains(endpoint));
            }
        }
        assertThat(failures).isEmpty();
    }

    /**
     * @param allowed whether the caller may use the endpoint
     * @param apiStyle whether a refusal is a 401/403 status (API, actuator, a known user lacking a role)
     *                 rather than a redirect to the login page
     */
    private static void check(List<String> failures, String endpoint, String caller, MockHttpServletResponse response,
                              boolean allowed, boolean apiStyle) {
        int status = response.getStatus();
        String location = response.getHeader(HttpHeaders.LOCATION);
        boolean toLogin = status == 302 && location != null && location.endsWith("/login");
        if (allowed) {
            if (status == 401 || status == 403 || toLogin) {
                failures.add(endpoint + " as " + caller + ": expected access, got " + status + " " + location);
            }
        } else if (apiStyle ? !(status == 401 || status == 403) : !toLogin) {
            failures.add(endpoint + " as " + caller + ": expected refusal, got " + status + " " + location);
        }
    }

    private static boolean allows(Access required, Role role) {
        return switch (required) {
            case PUBLIC -> true;
            case VIEWER -> role.includes(Role.VIEWER);
            case OPERATOR -> role.includes(Role.OPERATOR);
            case ADMIN -> role.includes(Role.ADMIN);
        };
    }

    private MockHttpServletResponse call(String endpoint, MockHttpSession session, String token) throws Exception {
        String[] parts = endpoint.split(" ", 2);
        String path = parts[1].replaceAll("\\{[A-Za-z]+:([A-Za-z-]+)[^}]*}", "$1") // {action:apply|undo}: its first choice
                .replaceAll("\\{\\*?[A-Za-z]+}", UUID.randomUUID().toString());
        MockHttpServletRequestBuilder request = MockMvcRequestBuilders.request(HttpMethod.valueOf(parts[0]), path);
        if (!parts[0].equals("GET")) {
            request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content("{}");
        }
        if (session != null) {
            request.session(session);
        }
        if (token != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        return mvc.perform(request).andReturn().getResponse();
    }

    private Set<String> registeredEndpoints() {
        Set<String> endpoints = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            Set<String> patterns = info.getPathPatternsCondition() == null ? info.getPatternValues()
                    : info.getPathPatternsCondition().getPatternValues();
            for (String pattern : patterns) {
                if (methods.isEmpty()) {
                    endpoints.add("GET " + pattern);
                } else {
                    methods.forEach(method -> endpoints.add(method.name() + " " + pattern));
                }
            }
        }
        return endpoints;
    }
}
