package io.tandem.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.tandem.support.ConsoleTest;

/** The real Tomcat, as a browser meets it. */
@ConsoleTest
class SessionCookieTest {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteAndAForgedProtoMakesItNoSecure() throws Exception {
        String plain = sessionCookie(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login")));
        assertThat(plain).startsWith("TANDEM_SESSION=").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax")
                .doesNotContainIgnoringCase("Secure");

        // a client that is no listed proxy cannot claim TLS it does not have (tandem.security.trusted-proxies is empty)
        String forged = sessionCookie(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .header("X-Forwarded-Proto", "https"));
        assertThat(forged).startsWith("TANDEM_SESSION=").doesNotContainIgnoringCase("Secure");
    }

    @Test
    void pagesCarryAContentSecurityPolicyThatForbidsInlineScript() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("script-src 'self'").doesNotContain("unsafe-eval");
        assertThat(response.headers().firstValue("X-Frame-Options")).contains("DENY");
    }

    private String sessionCookie(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        List<String> cookies = response.headers().allValues("Set-Cookie");
        return cookies.stream().filter(c -> c.startsWith("TANDEM_SESSION=")).findFirst().orElse("");
    }
}
