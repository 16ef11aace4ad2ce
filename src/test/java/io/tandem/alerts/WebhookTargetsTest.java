package io.tandem.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;

import org.junit.jupiter.api.Test;

import jakarta.mail.MessagingException;

/** Where a webhook may point, and how a failed send reads. */
class WebhookTargetsTest {

    @Test
    void loopbackAndLinkLocalHostsAreRefusedUnlessAllowed() {
        assertThat(LocalTargets.refusal(URI.create("http://127.0.0.1:8080/hook"), false)).get().asString()
                .contains("127.0.0.1 is a loopback address", "tandem.alerts.allow-local-targets");
        assertThat(LocalTargets.refusal(URI.create("http://localhost/hook"), false)).isPresent();
        assertThat(LocalTargets.refusal(URI.create("http://[::1]:9000/hook"), false)).get().asString().contains("loopback");
        assertThat(LocalTargets.refusal(URI.create("http://169.254.169.254/latest/meta-data"), false)).get().asString()
                .contains("link-local");
        assertThat(LocalTargets.refusal(URI.create("http://[fe80::1]/hook"), false)).get().asString().contains("link-local");
        assertThat(LocalTargets.refusal(URI.create("http://0.0.0.0/hook"), false)).isPresent();

        assertThat(LocalTargets.refusal(URI.create("http://127.0.0.1:8080/hook"), true)).as("allowed by the setting").isEmpty();
        assertThat(LocalTargets.refusal(URI.create("https://192.0.2.10/hook"), false)).as("a routable address").isEmpty();
        assertThat(LocalTargets.refusal(URI.create("https://10.1.2.3/hook"), false)).as("a private LAN receiver").isEmpty();
    }

    @Test
    void aFailedSendSaysWhatHappenedWithoutExceptionClassNames() {
        assertThat(Alerting.failure(new ConnectException())).isEqualTo("connection refused");
        assertThat(Alerting.failure(new java.io.IOException("wrapped", new UnknownHostException("alerts.invalid"))))
                .isEqualTo("unknown host alerts.invalid");
        assertThat(Alerting.failure(new HttpConnectTimeoutException("HTTP connect timed out"))).isEqualTo("no connection within 5 s");
        assertThat(Alerting.failure(new MessagingException("Could not connect to SMTP host: mail.example.test, port: 25",
                new java.io.IOException("java.net.SocketException: Network is unreachable"))))
                .isEqualTo("Network is unreachable");
        assertThat(Alerting.withoutClassNames("Mail server connection failed; nested exception is: "
                + "org.eclipse.angus.mail.util.MailConnectException: Couldn't connect to host, port: localhost, 1; timeout -1"))
                .isEqualTo("Mail server connection failed; Couldn't connect to host, port: localhost, 1; timeout -1");
        assertThat(Alerting.withoutClassNames("IllegalStateException")).isEqualTo("failed");
    }
}
