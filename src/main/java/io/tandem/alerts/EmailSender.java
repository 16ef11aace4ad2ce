package io.tandem.alerts;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/** One plain-text email over SMTP with the configured timeouts; the server's refusal comes back as an exception. */
final class EmailSender {

    private final AlertMailProperties properties;
    private final JavaMailSenderImpl smtp;

    EmailSender(AlertMailProperties properties) {
        this.properties = properties;
        this.smtp = new JavaMailSenderImpl();
        smtp.setHost(properties.host());
        smtp.setPort(properties.port());
        smtp.setDefaultEncoding(StandardCharsets.UTF_8.name());
        if (!properties.username().isBlank()) {
            smtp.setUsername(properties.username());
            smtp.setPassword(properties.password());
        }
        Properties session = smtp.getJavaMailProperties();
        session.put("mail.smtp.auth", String.valueOf(!properties.username().isBlank()));
        session.put("mail.smtp.starttls.enable", String.valueOf(properties.starttls()));
        session.put("mail.smtp.starttls.required", String.valueOf(properties.starttls()));
        session.put("mail.smtp.connectiontimeout", String.valueOf(properties.connectTimeout().toMillis()));
        session.put("mail.smtp.timeout", String.valueOf(properties.timeout().toMillis()));
        session.put("mail.smtp.writetimeout", String.valueOf(properties.timeout().toMillis()));
    }

    /** @return what the operator reads in the sent list, e.g. "accepted by mail.example.com:25 for 2 recipient(s)" */
    String send(List<String> recipients, String subject, String body) throws MessagingException {
        MimeMessage message = smtp.createMimeMessage();
        MimeMessageHelper helper = new MimeMessageHelper(message, false, StandardCharsets.UTF_8.name());
        helper.setFrom(properties.from());
        helper.setTo(recipients.toArray(String[]::new));
        helper.setSubject(subject);
        helper.setText(body, false);
        smtp.send(message);
        return "accepted by " + properties.host() + ":" + properties.port() + " for " + recipients.size() + " recipient(s)";
    }
}
