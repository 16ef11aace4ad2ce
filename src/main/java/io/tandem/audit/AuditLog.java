package io.tandem.audit;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads the audit log. A write joins the caller's transaction, so a change and its
 * audit row are committed together or not at all.
 */
@Service
public class AuditLog {

    /** Keys whose values never reach the log, however deep they sit in the details. */
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|token|credential|privatekey|key)$");
    static final String MASK = "***";
    public static final String SYSTEM = "system";
    private static final int PAGE_LIMIT = 500;

    private final AuditEvents events;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    AuditLog(AuditEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** Records an action of the current user (or {@value #SYSTEM} outside a request). */
    @Transactional
    public void record(String action, String target, Outcome outcome, Map<String, ?> details) {
        record(currentActor(), action, target, outcome, details);
    }

    /** Records an action on behalf of a named actor, e.g. the username tried at a failed login. */
    @Transactional
    public void record(String actor, String action, String target, Outcome outcome, Map<String, ?> details) {
        events.save(new AuditEvent(clock.instant(), truncate(actor, 64), truncate(currentRemoteAddress(), 64),
                action, truncate(target, 255), outcome, details == null || details.isEmpty() ? null : json.writeValueAsString(mask(details))));
    }

    @Transactional(readOnly = true)
    public Page<AuditEvent> find(AuditQuery query, int page, int size) {
        int boundedSize = Math.max(1, Math.min(size, PAGE_LIMIT));
        // the database's offset is an int: a page past that is past the end anyway, so it is asked as the last one
        int boundedPage = Math.max(0, Math.min(page, Integer.MAX_VALUE / boundedSize - 1));
        return events.findAll(query.toSpecification(),
                PageRequest.of(boundedPage, boundedSize, Sort.by(Sort.Direction.DESC, "occurredAt", "id")));
    }

    /** A copy of the details with every secret-looking value replaced by {@value #MASK}. */
    static Map<String, Object> mask(Map<String, ?> details) {
        Map<String, Object> masked = new LinkedHashMap<>();
        details.forEach((key, value) -> masked.put(key, maskValue(key, value)));
        return masked;
    }

    @SuppressWarnings("unchecked")
    private static Object maskValue(String key, Object value) {
        if (value == null) {
            return null;
        }
        if (SECRET_KEY.matcher(key).matches()) {
            return MASK;
        }
        if (value instanceof Map<?, ?> nested) {
            return mask((Map<String, ?>) nested);
        }
        if (value instanceof Iterable<?> list) {
            java.util.List<Object> out = new java.util.ArrayList<>();
            list.forEach(item -> out.add(maskValue("", item)));
            return out;
        }
        return value;
    }

    private static String currentActor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated() || authentication.getName() == null) {
            return SYSTEM;
        }
        return authentication.getName();
    }

    private static String currentRemoteAddress() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes instanceof ServletRequestAttributes servlet) {
            return servlet.getRequest().getRemoteAddr();
        }
        return null;
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
