package io.tandem.support;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.test.context.TestComponent;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import io.tandem.identity.Role;
import io.tandem.identity.TokenService;
import io.tandem.identity.UserAdministration;

/** Creates ready-to-use users (temporary password already changed) and their tokens. */
@TestComponent
public class TestUsers {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final UserAdministration users;
    private final TokenService tokens;

    TestUsers(UserAdministration users, TokenService tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    public record Credentials(UUID id, String username, String password, Role role) {
    }

    public Credentials create(Role role) {
        String username = role.name().toLowerCase() + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6);
        String temporary = password("temporary");
        UUID id = users.create(username, role, temporary).user().id();
        String password = password("chosen");
        users.changeOwnPassword(id, temporary, password);
        return new Credentials(id, username, password, role);
    }

    /** A user still holding the temporary password an admin gave them. */
    public Credentials createWithTemporaryPassword(Role role) {
        String username = "temp-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6);
        String temporary = password("temporary");
        UUID id = users.create(username, role, temporary).user().id();
        return new Credentials(id, username, temporary, role);
    }

    /**
     * A random password that always passes the password policy: random hex comes in pairs between
     * dots, so it can never hold a run of 5 keys, letters or digits in sequence, nor 5 repeats.
     */
    public static String password(String prefix) {
        String hex = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return prefix + "." + String.join(".", hex.split("(?<=\\G..)"));
    }

    public String token(Credentials user) {
        return tokens.mint(user.id(), "test", 30).token();
    }

    /** A login form post as a browser at {@code address} sends it (the throttle counts per client address). */
    public static MockHttpServletRequestBuilder loginFrom(String address, String username, String password) {
        return MockMvcRequestBuilders.post("/login").param("username", username).param("password", password)
                .with(SecurityMockMvcRequestPostProcessors.csrf())
                .with(request -> {
                    request.setRemoteAddr(address);
                    return request;
                });
    }

    /** Logs the user in through the login form, as a browser would; the session carries the login. */
    public static MockHttpSession login(MockMvc mvc, Credentials user) throws Exception {
        return (MockHttpSession) mvc.perform(SecurityMockMvcRequestBuilders.formLogin().user(user.username()).password(user.password()))
                .andReturn().getRequest().getSession(false);
    }
}
