package io.tandem.audit;

import java.time.Instant;

import org.hibernate.annotations.Immutable;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One audit row. Immutable in Java and in the database. */
@Entity
@Immutable
@Table(name = "audit_event")
public class AuditEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(nullable = false)
    private String actor;

    @Column(name = "remote_address")
    private String remoteAddress;

    @Column(nullable = false)
    private String action;

    private String target;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Outcome outcome;

    private String details;

    protected AuditEvent() {
    }

    AuditEvent(Instant occurredAt, String actor, String remoteAddress, String action, String target,
               Outcome outcome, String details) {
        this.occurredAt = occurredAt;
        this.actor = actor;
        this.remoteAddress = remoteAddress;
        this.action = action;
        this.target = target;
        this.outcome = outcome;
        this.details = details;
    }

    public Long id() {
        return id;
    }

    public Instant occurredAt() {
        return occurredAt;
    }

    public String actor() {
        return actor;
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    public String action() {
        return action;
    }

    public String target() {
        return target;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** JSON object with the specifics (before/after for changes); secrets are masked. */
    public String details() {
        return details;
    }
}
