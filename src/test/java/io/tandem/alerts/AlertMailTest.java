package io.tandem.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;


import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetRulesTest;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.monitor.Finding;
import io.tandem.monitor.HealthDiff;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.Severity;
import io.tandem.support.ConsoleTest;
import io.tandem.support.SmtpReceiver;
import io.tandem.support.TestUsers;
import io.tandem.support.PairEvents;
import io.tandem.support.WebhookReceiver;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/** Email alerts through a real SMTP server on loopback, beside the webhook. */
@ConsoleTest
class AlertMailTest {

    private static final SmtpReceiver SMTP = start();

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        registry.add("tandem.alerts.mail.host", () -> "127.0.0.1");
        registry.add("tandem.alerts.mail.port", SMTP::port);
        registry.add("tandem.alerts.mail.from", () -> "tandem@example.test");
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    FleetService fleet;
    @Autowired
    ApplicationContext events;
    @Autowired
    JdbcTemplate jdbc;

    @AfterAll
    static void stop() throws Exception {
        SMTP.close();
    }

    @Test
    void aTestEmailReachesTheRecipientsWithItsSubjectAndIsRecorded() throws Exception {
        ClusterView pair = pair();
        String admin = users.token(users.create(Role.ADMIN));
        String operator = users.token(users.create(Role.OPERATOR));
        mvc.perform(put("/api/v1/clusters/" + pair.id() + "/alerts/mail").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"recipients\": [\"ops@example.test\", \"oncall@example.test\"]}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.recipients[1]").value("oncall@example.test"))
                .andExpect(jsonPath("$.serverConfigured").value(true));
        mvc.perform(post("/api/v1/clusters/" + pair.id() + "/alerts/mail/test").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.channel").value("MAIL"))
                .andExpect(jsonPath("$.outcome").value("SUCCESS"));

        SmtpReceiver.Mail mail = SMTP.next(10);
        assertThat(mail).isNotNull();
        assertThat(mail.from()).isEqualTo("tandem@example.test");
        assertThat(mail.recipients()).containsExactly("ops@example.test", "oncall@example.test");
        MimeMessage message = parse(mail);
        assertThat(message.getSubject()).isEqualTo("[Tandem] " + pair.name() + ": test alert");
        assertThat(message.getContent().toString()).contains("Test alert from Tandem for " + pair.name());
        assertThat(jdbc.queryForObject("select count(*) from alert_send where cluster_id = ? and channel = 'MAIL' and outcome = 'SUCCESS'",
                Integer.class, pair.id())).isEqualTo(1);
    }

    @Test
    void aCriticalFindingGoesOutByWebhookAndEmailOnceForBoth() throws Exception {
        ClusterView pair = pair();
        try (WebhookReceiver hook = new WebhookReceiver(WebhookSender.SIGNATURE_HEADER)) {
            String admin = users.token(users.create(Role.ADMIN));
            mvc.perform(put("/api/v1/clusters/" + pair.id() + "/alerts").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"webhookUrl\": \"" + hook.url() + "\"}"))
                    .andExpect(status().isOk());
            mvc.perform(put("/api/v1/clusters/" + pair.id() + "/alerts/mail").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                            .contentType(MediaType.APPLICATION_JSON).content("{\"recipients\": [\"ops@example.test\"]}"))
                    .andExpect(status().isOk());

            Finding split = new Finding(Severity.CRITICAL, Finding.Kind.SPLIT_BRAIN_OUTPUT, "Both outputs are open",
                    "Every record reaches the SIEM twice", List.of(), null);
            HealthDiff raised = new HealthDiff(List.of(split), List.of(), List.of(), List.of());
            io.tandem.monitor.PairHealth splitBrain = FailoverGraceTest.health(io.tandem.monitor.NodeRole.ACTIVE,
                    io.tandem.monitor.NodeRole.ACTIVE, split);
            PairEvents.healthChanged(events, new PairStates.HealthChanged(pair, raised, splitBrain));

            SmtpReceiver.Mail mail = SMTP.next(10);
            assertThat(mail).isNotNull();
            MimeMessage message = parse(mail);
            assertThat(message.getSubject()).isEqualTo("[Tandem] " + pair.name() + ": CRITICAL: Both outputs are open");
            assertThat(message.getContent().toString()).contains("Both outputs are open").contains("Impact: Every record reaches the SIEM twice");
            assertThat(hook.next(10).body()).contains("split-brain-output");

            PairEvents.healthChanged(events, new PairStates.HealthChanged(pair, raised, splitBrain)); // the same finding again
            assertThat(SMTP.next(7)).as("still open: not sent again, by email as by the webhook").isNull();
            assertThat(hook.next(1)).isNull();
            assertThat(jdbc.queryForList("select channel from alert_send where cluster_id = ? and reason = 'CHANGE' order by channel",
                    String.class, pair.id())).containsExactly("MAIL", "WEBHOOK");
        }
    }

    @Test
    void recipientsThatAreNotAddressesAreRefusedBesideTheField() throws Exception {
        ClusterView pair = pair();
        String admin = users.token(users.create(Role.ADMIN));
        mvc.perform(put("/api/v1/clusters/" + pair.id() + "/alerts/mail").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"recipients\": [\"ops@example.test\\r\\nBcc: thief@example.test\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:invalid-recipients"));

        TestUsers.Credentials user = users.create(Role.ADMIN);
        MockHttpSession session = TestUsers.login(mvc, user);
        String page = mvc.perform(post("/clusters/" + pair.id() + "/alerts/mail").session(session).with(csrf())
                        .param("recipients", "not-an-address").param("mailEnabled", "true"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"recipients-error\"").contains("&#39;not-an-address&#39; is not an email address")
                .contains("value=\"not-an-address\"");
        assertThat(jdbc.queryForObject("select count(*) from alert_mail where cluster_id = ?", Integer.class, pair.id())).isZero();
    }

    private ClusterView pair() {
        return fleet.create(new ClusterSpec("mailed-" + UUID.randomUUID(), ClusterMode.HOT, null, null, null, null, null,
                List.of(FleetRulesTest.node("a", "10.6.0.1"), FleetRulesTest.node("b", "10.6.0.2"))));
    }

    private static MimeMessage parse(SmtpReceiver.Mail mail) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mail.data().getBytes(StandardCharsets.UTF_8)));
    }

    private static SmtpReceiver start() {
        try {
            return new SmtpReceiver();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
