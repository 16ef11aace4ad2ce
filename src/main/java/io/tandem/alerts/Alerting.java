package io.tandem.alerts;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.tandem.access.SecretCipher;
import io.tandem.audit.AuditLog;
import io.tandem.audit.Outcome;
import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.PairListener;
import io.tandem.monitor.PairOwnership;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.Severity;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends a pair's alerts to its webhook and to its email recipients. What is worth telling is decided per pair by
 * {@link FailoverGrace} from the judged health (a takeover within the grace is one WARNING, a lasting outage and
 * both outputs open are CRITICAL, every opened problem gets its recovery), once for both channels. A pair sends at
 * most once per {@link AlertProperties#minGap()}: what happens meanwhile waits and goes together in the next send,
 * never dropped and never later than that gap. Every send is recorded with the channel that carried it and counted
 * in {@code tandem.alerts.sent}.
 */
@Service
@org.springframework.boot.context.properties.EnableConfigurationProperties({AlertMailProperties.class, AlertProperties.class})
public class Alerting implements PairListener {

    private static final Logger log = LoggerFactory.getLogger(Alerting.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A pair's webhook as admins see it: never the secret. */
    public record Target(String webhookUrl, boolean signed, boolean enabled) {
    }

    /** A pair's email recipients; {@code serverConfigured} false means this console has no SMTP server set. */
    public record MailTarget(List<String> recipients, boolean enabled, boolean serverConfigured) {
    }

    public enum Channel { WEBHOOK, MAIL }

    public record Sent(Instant at, Channel channel, String reason, String outcome, Integer httpStatus, String detail) {
    }

    /** More would make an alert a mailing list; a distribution list address is the way to reach many. */
    static final int MAX_RECIPIENTS = 20;

    private final JdbcTemplate jdbc;
    private final SecretCipher cipher;
    private final FleetService fleet;
    private final AuditLog audit;
    private final Clock clock;
    private final WebhookSender sender = new WebhookSender();
    private final AlertMailProperties mail;
    private final EmailSender email;
    private final ExecutorService sends = daemon("alert-sender");
    /**
     * Writes the send records that waited for the database. Its own thread: each try waits up to the pool's timeout
     * while the database is away, and on the sender's thread those waits (one queued per tick) starved the sends.
     */
    private final ExecutorService recorder = daemon("alert-recorder");
    /** At most one tick's flush and one write of leftovers waiting at a time, however long a try takes. */
    private final java.util.concurrent.atomic.AtomicBoolean flushQueued = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicBoolean recordQueued = new java.util.concurrent.atomic.AtomicBoolean();
    private final AlertProperties properties;
    private final MeterRegistry meters;
    private final PairOwnership ownership;
    /** Each pair's alert judgement; a pair's events and ticks are fed to it under its own lock. */
    private final Map<UUID, FailoverGrace> graces = new ConcurrentHashMap<>();
    private final Map<UUID, List<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final Map<UUID, String> pendingNames = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> lastSent = new ConcurrentHashMap<>();
    /**
     * Each pair's channels as last read from the database: while the database does not answer, alerts still go out
     * to where they went before (the monitor keeps judging from memory, so this is when they matter most).
     */
    private final Map<UUID, Optional<Webhook>> knownWebhooks = new ConcurrentHashMap<>();
    private final Map<UUID, Optional<MailTarget>> knownMail = new ConcurrentHashMap<>();
    /** Sends made while the database did not answer, recorded once it does (oldest dropped past the bound). */
    private final java.util.concurrent.BlockingDeque<Object[]> unrecorded = new java.util.concurrent.LinkedBlockingDeque<>();
    static final int MAX_UNRECORDED = 1000;

    /** A webhook with its secret opened, for sending. */
    private record Webhook(String url, String secret, boolean enabled) {
    }

    Alerting(JdbcTemplate jdbc, SecretCipher cipher, FleetService fleet, AuditLog audit, Clock clock, AlertMailProperties mail,
             AlertProperties properties, MeterRegistry meters, org.springframework.beans.factory.ObjectProvider<PairOwnership> ownership) {
        this.ownership = ownership.getIfAvailable(() -> PairOwnership.EVERY_PAIR);
        this.properties = properties;
        this.meters = meters;
        this.mail = mail;
        this.email = mail.configured() ? new EmailSender(mail) : null;
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.fleet = fleet;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public Optional<Target> target(UUID clusterId) {
        fleet.get(clusterId);
        return jdbc.query("select webhook_url, hmac_secret is not null, enabled from alert_target where cluster_id = ?",
                (rs, i) -> new Target(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3)), clusterId).stream().findFirst();
    }

    /** Sets the webhook; a null secret keeps the stored one, an empty one removes it. */
    @Transactional
    public Target configure(UUID clusterId, String url, String secret, boolean enabled) {
        ClusterView cluster = fleet.get(clusterId);
        String webhook = url == null ? "" : url.strip();
        URI uri;
        try {
            uri = URI.create(webhook);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                || webhook.length() > 2000 || uri.getUserInfo() != null) {
            throw Rejected.invalid("invalid-webhook", "webhookUrl",
                    "Give an absolute http(s) URL without credentials, e.g. https://alerts.example.com/tandem.");
        }
        Optional<String> local = LocalTargets.refusal(uri, properties.allowLocalTargets());
        if (local.isPresent()) {
            throw Rejected.invalid("invalid-webhook", "webhookUrl", "Refused: " + local.get() + ".");
        }
        if (secret != null && secret.length() > 256) {
            throw Rejected.invalid("invalid-webhook", "secret", "A signing secret has at most 256 characters.");
        }
        byte[] sealed = secret == null ? null : secret.isEmpty() ? new byte[0] : cipher.encrypt(secret, owner(clusterId));
        jdbc.update("""
                insert into alert_target (cluster_id, webhook_url, hmac_secret, enabled, updated_at) values (?, ?, ?, ?, ?)
                on conflict (cluster_id) do update set webhook_url = excluded.webhook_url, enabled = excluded.enabled,
                    updated_at = excluded.updated_at,
                    hmac_secret = case when ? then alert_target.hmac_secret when ? then null else excluded.hmac_secret end
                """, clusterId, webhook, sealed != null && sealed.length > 0 ? sealed : null, enabled, Timestamp.from(clock.instant()),
                secret == null, secret != null && secret.isEmpty());
        knownWebhooks.put(clusterId, readWebhook(clusterId));
        audit.record("ALERT_TARGET_SET", cluster.name(), Outcome.SUCCESS,
                Map.of("webhookUrl", webhook, "enabled", enabled, "signingSecretChanged", secret != null));
        return target(clusterId).orElseThrow();
    }

    @Transactional(readOnly = true)
    public Optional<MailTarget> mailTarget(UUID clusterId) {
        fleet.get(clusterId);
        return jdbc.query("select recipients, enabled from alert_mail where cluster_id = ?",
                (rs, i) -> new MailTarget(recipients(rs.getString(1)), rs.getBoolean(2), mail.configured()), clusterId)
                .stream().findFirst();
    }

    /** Sets the pair's email recipients (comma or space separated addresses); none removes email alerts. */
    @Transactional
    public Optional<MailTarget> configureMail(UUID clusterId, String recipients, boolean enabled) {
        ClusterView cluster = fleet.get(clusterId);
        List<String> addresses = validRecipients(recipients);
        if (addresses.isEmpty()) {
            jdbc.update("delete from alert_mail where cluster_id = ?", clusterId);
        } else {
            jdbc.update("""
                    insert into alert_mail (cluster_id, recipients, enabled, updated_at) values (?, ?, ?, ?)
                    on conflict (cluster_id) do update set recipients = excluded.recipients, enabled = excluded.enabled,
                        updated_at = excluded.updated_at
                    """, clusterId, String.join(", ", addresses), enabled, Timestamp.from(clock.instant()));
        }
        knownMail.put(clusterId, readMail(clusterId));
        audit.record("ALERT_MAIL_SET", cluster.name(), Outcome.SUCCESS, Map.of("recipients", addresses, "enabled", enabled));
        return mailTarget(clusterId);
    }

    /** Sends a test alert through one channel now, whatever the rate limit, and reports how it went. */
    public Sent test(UUID clusterId, Channel channel) {
        ClusterView cluster = fleet.get(clusterId);
        Map<String, Object> payload = payload(cluster.name(), "TEST", List.of(Map.of("kind", "test",
                "text", "Test alert from Tandem for " + cluster.name())));
        return switch (channel) {
            case WEBHOOK -> sendWebhook(clusterId, "TEST", payload)
                    .orElseGet(() -> new Sent(clock.instant(), channel, "TEST", "FAILURE", null, "no enabled webhook for this pair"));
            case MAIL -> sendMail(clusterId, "TEST", payload)
                    .orElseGet(() -> new Sent(clock.instant(), channel, "TEST", "FAILURE", null, "no enabled email recipients for this pair"));
        };
    }

    @Transactional(readOnly = true)
    public List<Sent> recent(UUID clusterId) {
        return jdbc.query("select sent_at, channel, reason, outcome, http_status, detail from alert_send where cluster_id = ? "
                        + "order by sent_at desc, id desc limit 50",
                (rs, i) -> new Sent(rs.getTimestamp(1).toInstant(), Channel.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getString(4), (Integer) rs.getObject(5), rs.getString(6)), clusterId);
    }

    private static List<String> validRecipients(String given) {
        List<String> addresses = recipients(given);
        if (addresses.size() > MAX_RECIPIENTS) {
            throw Rejected.invalid("invalid-recipients", "recipients",
                    "At most " + MAX_RECIPIENTS + " recipients; use a distribution list address to reach more people.");
        }
        for (String address : addresses) {
            boolean valid;
            try {
                jakarta.mail.internet.InternetAddress parsed = new jakarta.mail.internet.InternetAddress(address, true);
                valid = parsed.getAddress().equals(address) && address.length() <= 254 && address.indexOf('@') > 0;
            } catch (jakarta.mail.internet.AddressException e) {
                valid = false;
            }
            if (!valid) {
                throw Rejected.invalid("invalid-recipients", "recipients",
                        "'" + printable(address) + "' is not an email address; give addresses like ops@example.com, separated by commas.");
            }
        }
        return addresses;
    }

    private static List<String> recipients(String given) {
        if (given == null || given.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(given.split("[,;\\s]+")).map(String::strip).filter(a -> !a.isEmpty()).distinct().toList();
    }

    private static String printable(String text) {
        String shown = text.replaceAll("\\p{Cntrl}", "?");
        return shown.length() > 80 ? shown.substring(0, 80) + "…" : shown;
    }

    /**
     * Collects what is worth telling; the sending happens on the alert thread, never on the monitor's. Time is the
     * judgement's own, so a late delivery of the event does not stretch a measured gap.
     */
    @Override
    public void healthChanged(PairStates.HealthChanged event) {
        if (event.health() == null) {
            log.debug("health change of {} without a health: nothing to judge an alert from", event.cluster().name());
            return;
        }
        FailoverGrace grace = graces.computeIfAbsent(event.cluster().id(), id -> new FailoverGrace(properties.failoverGrace()));
        List<FailoverGrace.Item> items;
        synchronized (grace) {
            items = grace.changed(event.diff(), event.health(), event.health().evaluatedAt());
        }
        // Every console follows every pair's judgement, so one that takes a pair over mid-outage knows since when its
        // findings wait for the grace; only the console that reads the pair sends: once, not once per console.
        if (event.judgedHere()) {
            queue(event.cluster().id(), event.cluster().name(), items);
        }
    }

    private void queue(UUID clusterId, String name, List<FailoverGrace.Item> items) {
        if (items.isEmpty()) {
            return;
        }
        pendingNames.put(clusterId, name);
        pending.computeIfAbsent(clusterId, id -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .addAll(items.stream().map(FailoverGrace.Item::json).toList());
        sends.execute(this::flush);
    }

    /** Each second: what waited for the grace and is still true is queued; what waits for the gap is sent when due. */
    @Scheduled(fixedDelay = 1000)
    void tick() {
        Instant now = clock.instant();
        graces.forEach((clusterId, grace) -> {
            List<FailoverGrace.Item> due;
            synchronized (grace) {
                due = grace.tick(now);
            }
            if (!due.isEmpty() && ownership.owns(clusterId)) {
                queue(clusterId, pendingNames.computeIfAbsent(clusterId, this::nameOf), due);
            }
        });
        if (flushQueued.compareAndSet(false, true)) {
            sends.execute(() -> {
                flushQueued.set(false);
                flush();
            });
        }
        if (recordQueued.compareAndSet(false, true)) {
            recorder.execute(() -> {
                recordQueued.set(false);
                recordLeftovers();
            });
        }
    }

    private static ExecutorService daemon(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Every pair's channels, read again every half minute (and at start), so that a console whose database stops
     * answering knows where alerts go even for a pair that has not alerted since it started.
     */
    @Scheduled(fixedDelayString = "PT30S", initialDelayString = "PT1S")
    void refreshChannels() {
        try {
            Map<UUID, Optional<Webhook>> webhooks = new java.util.HashMap<>();
            jdbc.query("select cluster_id, webhook_url, hmac_secret, enabled from alert_target", (org.springframework.jdbc.core.RowCallbackHandler) rs -> {
                UUID id = rs.getObject(1, UUID.class);
                webhooks.put(id, Optional.of(new Webhook(rs.getString(2),
                        rs.getBytes(3) == null ? null : cipher.decrypt(rs.getBytes(3), owner(id)), rs.getBoolean(4))));
            });
            Map<UUID, Optional<MailTarget>> mails = new java.util.HashMap<>();
            jdbc.query("select cluster_id, recipients, enabled from alert_mail", (org.springframework.jdbc.core.RowCallbackHandler) rs ->
                    mails.put(rs.getObject(1, UUID.class), Optional.of(new MailTarget(recipients(rs.getString(2)), rs.getBoolean(3),
                            mail.configured()))));
            knownWebhooks.keySet().forEach(id -> webhooks.putIfAbsent(id, Optional.empty()));
            knownMail.keySet().forEach(id -> mails.putIfAbsent(id, Optional.empty()));
            knownWebhooks.putAll(webhooks);
            knownMail.putAll(mails);
        } catch (org.springframework.dao.DataAccessException e) {
            log.debug("alert channels not refreshed, the database does not answer: {}", e.getMostSpecificCause().toString());
        }
    }

    /** Drops the judgement of pairs that left the fleet. */
    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT10M")
    void forgetRemovedPairs() {
        java.util.Set<UUID> ids = new java.util.HashSet<>(fleet.list().stream().map(ClusterView::id).toList());
        graces.keySet().retainAll(ids);
        lastSent.keySet().retainAll(ids);
        knownWebhooks.keySet().retainAll(ids);
        knownMail.keySet().retainAll(ids);
    }

    /** Sends what waits for pairs whose last send is at least the gap old; runs on the alert thread only. */
    void flush() {
        Instant now = clock.instant();
        for (UUID clusterId : List.copyOf(pending.keySet())) {
            if (lastSent.getOrDefault(clusterId, Instant.EPOCH).plus(properties.minGap()).isAfter(now)) {
                continue;
            }
            List<Map<String, Object>> items = pending.remove(clusterId);
            if (items == null || items.isEmpty()) {
                continue;
            }
            lastSent.put(clusterId, now);
            Map<String, Object> payload = payload(pendingNames.getOrDefault(clusterId, "?"), "CHANGE", items);
            try {
                sendWebhook(clusterId, "CHANGE", payload);
                sendMail(clusterId, "CHANGE", payload);
            } catch (org.springframework.dao.DataAccessException e) {
                // the database is away and this console never learnt the pair's channels: kept for the next try
                pending.computeIfAbsent(clusterId, id -> new java.util.concurrent.CopyOnWriteArrayList<>()).addAll(0, items);
                log.warn("alert for {} waits: its channels cannot be read ({})", pendingNames.get(clusterId),
                        e.getMostSpecificCause().toString());
            } catch (RuntimeException e) {
                // a pair deleted meanwhile: logged, the next changes still go out
                log.warn("alert for {} not sent: {}", pendingNames.get(clusterId), e.toString());
            }
        }
    }

    private String nameOf(UUID clusterId) {
        String known = pendingNames.get(clusterId);
        if (known != null) {
            return known;
        }
        try {
            return fleet.get(clusterId).name();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /** Posts to the pair's webhook when it has an enabled one, and records the outcome. */
    private Optional<Sent> sendWebhook(UUID clusterId, String reason, Map<String, Object> payload) {
        String json = JSON.writeValueAsString(payload);
        Optional<Webhook> webhook = lastKnown(knownWebhooks, clusterId, () -> readWebhook(clusterId));
        if (webhook.isEmpty() || !webhook.get().enabled()) {
            return Optional.empty();
        }
        String secret = webhook.get().secret();
        Integer status = null;
        String outcome;
        String detail;
        String url = webhook.get().url();
        Optional<String> local = LocalTargets.refusal(URI.create(url), properties.allowLocalTargets());
        if (local.isPresent()) {
            outcome = "FAILURE";
            detail = "not sent: " + local.get();
        } else {
            try {
                status = sender.send(url, json, secret);
                outcome = status / 100 == 2 ? "SUCCESS" : "FAILURE";
                detail = "HTTP " + status;
            } catch (Exception e) {
                outcome = "FAILURE";
                detail = failure(e);
            }
        }
        return Optional.of(record(clusterId, Channel.WEBHOOK, reason, outcome, status, detail, json));
    }

    /** Mails the pair's recipients when it has enabled ones, and records the outcome. */
    private Optional<Sent> sendMail(UUID clusterId, String reason, Map<String, Object> payload) {
        Optional<MailTarget> target = lastKnown(knownMail, clusterId, () -> readMail(clusterId));
        if (target.isEmpty() || !target.get().enabled() || target.get().recipients().isEmpty()) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) payload.get("events");
        String cluster = String.valueOf(payload.get("cluster"));
        String subject = AlertText.subject(cluster, items);
        String body = AlertText.body(cluster, String.valueOf(payload.get("at")), items);
        String outcome;
        String detail;
        if (email == null) {
            outcome = "FAILURE";
            detail = "no SMTP server configured (set tandem.alerts.mail.host)";
        } else {
            try {
                detail = email.send(target.get().recipients(), subject, body);
                outcome = "SUCCESS";
            } catch (Exception e) {
                outcome = "FAILURE";
                detail = failure(e);
            }
        }
        return Optional.of(record(clusterId, Channel.MAIL, reason, outcome, null, detail, "Subject: " + subject + "\n\n" + body));
    }

    private Sent record(UUID clusterId, Channel channel, String reason, String outcome, Integer status, String detail, String content) {
        Instant at = clock.instant();
        String shortDetail = detail.length() > 500 ? detail.substring(0, 500) : detail;
        meters.counter("tandem.alerts.sent", "pair", nameOf(clusterId), "channel", channel.name().toLowerCase(java.util.Locale.ROOT),
                "outcome", outcome.toLowerCase(java.util.Locale.ROOT)).increment();
        Object[] row = {clusterId, channel.name(), Timestamp.from(at), reason, outcome, status, shortDetail, content};
        if (!unrecorded.isEmpty()) { // the database did not answer a moment ago: no wait for it on the sender's thread
            keepUnrecorded(row);
            log.warn("alert {} to {} {} ({}); recorded when the database answers again", channel, nameOf(clusterId),
                    outcome, shortDetail);
            return new Sent(at, channel, reason, outcome, status, shortDetail);
        }
        try {
            jdbc.update(INSERT_SEND, row);
        } catch (org.springframework.dao.DataAccessException e) {
            keepUnrecorded(row);
            log.warn("alert {} to {} {} ({}); recorded when the database answers again: {}", channel, nameOf(clusterId),
                    outcome, shortDetail, e.getMostSpecificCause().toString());
        }
        return new Sent(at, channel, reason, outcome, status, shortDetail);
    }

    private void keepUnrecorded(Object[] row) {
        unrecorded.addLast(row);
        while (unrecorded.size() > MAX_UNRECORDED && unrecorded.pollFirst() != null) {
            log.warn("a send record made while the database was away is lost (more than {} waited)", MAX_UNRECORDED);
        }
    }

    private static final String INSERT_SEND =
            "insert into alert_send (cluster_id, channel, sent_at, reason, outcome, http_status, detail, payload) values (?, ?, ?, ?, ?, ?, ?, ?)";

    /** Writes the send records kept while the database was away, with their own times; runs on the alert thread. */
    void recordLeftovers() {
        Object[] row;
        while ((row = unrecorded.peekFirst()) != null) {
            try {
                jdbc.update(INSERT_SEND, row);
            } catch (org.springframework.dao.DataIntegrityViolationException gone) {
                log.debug("send record of a deleted pair not written");
            } catch (org.springframework.dao.DataAccessException e) {
                return; // still away: the next tick tries again
            }
            unrecorded.remove(row);
        }
    }

    private Optional<Webhook> readWebhook(UUID clusterId) {
        return jdbc.query("select webhook_url, hmac_secret, enabled from alert_target where cluster_id = ?",
                (rs, i) -> new Webhook(rs.getString(1), rs.getBytes(2) == null ? null : cipher.decrypt(rs.getBytes(2), owner(clusterId)),
                        rs.getBoolean(3)), clusterId).stream().findFirst();
    }

    private Optional<MailTarget> readMail(UUID clusterId) {
        return jdbc.query("select recipients, enabled from alert_mail where cluster_id = ?",
                (rs, i) -> new MailTarget(recipients(rs.getString(1)), rs.getBoolean(2), mail.configured()), clusterId).stream().findFirst();
    }

    /**
     * A pair's channel as this console knows it (read at start, every half minute and on every change made here), so a
     * send never waits for the database; read now only for a pair not known yet.
     */
    private static <T> Optional<T> lastKnown(Map<UUID, Optional<T>> known, UUID clusterId, java.util.function.Supplier<Optional<T>> read) {
        Optional<T> last = known.get(clusterId);
        if (last != null) {
            return last;
        }
        Optional<T> now = read.get();
        known.put(clusterId, now);
        return now;
    }

    /** Why a send failed, in words: no exception class names (they say nothing to an operator and leak internals). */
    static String failure(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String words;
        if (in(e, java.net.http.HttpConnectTimeoutException.class) != null) {
            words = "no connection within " + WebhookSender.CONNECT.toSeconds() + " s";
        } else if (in(e, java.net.http.HttpTimeoutException.class) != null) {
            words = "no answer within " + WebhookSender.REQUEST.toSeconds() + " s";
        } else if (in(e, java.net.UnknownHostException.class) != null) {
            words = "unknown host " + in(e, java.net.UnknownHostException.class).getMessage();
        } else if (in(e, java.net.ConnectException.class) != null) {
            words = "connection refused";
        } else if (in(e, javax.net.ssl.SSLException.class) != null) {
            words = "TLS failed: " + in(e, javax.net.ssl.SSLException.class).getMessage();
        } else if (in(e, java.net.SocketTimeoutException.class) != null) {
            words = "timed out";
        } else if (e instanceof InterruptedException) {
            words = "interrupted (the console is stopping)";
        } else {
            words = root.getMessage() != null ? root.getMessage() : e.getMessage() != null ? e.getMessage() : "failed";
        }
        return withoutClassNames(words);
    }

    /** The first throwable of the type in the cause chain, or null. */
    private static <T extends Throwable> T in(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Mail and TLS messages quote nested exceptions ("nested exception is: java.net.ConnectException: ..."). */
    static String withoutClassNames(String text) {
        String plain = text.replaceAll("nested exception is:?\\s*", "")
                .replaceAll("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b:?\\s*", "")
                .replaceAll("\\b[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b:?\\s*", "")
                .replaceAll("\\s+", " ").strip();
        return plain.isEmpty() ? "failed" : plain;
    }

    private Map<String, Object> payload(String cluster, String reason, List<Map<String, Object>> items) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("source", "tandem");
        payload.put("cluster", cluster);
        payload.put("reason", reason);
        payload.put("severity", items.stream().map(i -> String.valueOf(i.get("severity"))).filter(v -> !"null".equals(v))
                .map(Severity::valueOf).min(Enum::compareTo).orElse(Severity.INFO).name());
        payload.put("at", clock.instant().toString());
        payload.put("events", items);
        return payload;
    }

    private static String owner(UUID clusterId) {
        return "alert:" + clusterId;
    }
}
