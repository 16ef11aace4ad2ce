package io.tandem.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.data.jpa.domain.Specification;
import org.springframework.util.StringUtils;

import jakarta.persistence.criteria.Predicate;

/** A filter over the audit log; every part is optional. Text parts match case-insensitively. */
public record AuditQuery(String actor, String action, Outcome outcome, String target, Instant from, Instant to) {

    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, null, null);
    }

    Specification<AuditEvent> toSpecification() {
        return (root, query, cb) -> {
            List<Predicate> where = new ArrayList<>();
            if (StringUtils.hasText(actor)) {
                where.add(cb.equal(cb.lower(root.get("actor")), actor.strip().toLowerCase()));
            }
            if (StringUtils.hasText(action)) {
                where.add(cb.like(cb.lower(root.get("action")), like(action)));
            }
            if (outcome != null) {
                where.add(cb.equal(root.get("outcome"), outcome));
            }
            if (StringUtils.hasText(target)) {
                where.add(cb.like(cb.lower(root.get("target")), like(target)));
            }
            if (from != null) {
                where.add(cb.greaterThanOrEqualTo(root.get("occurredAt"), from));
            }
            if (to != null) {
                where.add(cb.lessThan(root.get("occurredAt"), to));
            }
            return cb.and(where.toArray(Predicate[]::new));
        };
    }

    private static String like(String text) {
        String escaped = text.strip().toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }
}
