package io.tandem.netflow;

import java.util.List;

/**
 * How far a passive NFO node's templates are from the active's, and what a failover now would cost.
 *
 * @param missingOnPassive          active templates the passive lacks (their data would be dropped)
 * @param missingOnActive           templates only the passive holds (harmless, but a sign of drift)
 * @param conflicts                 same key on both, different definitions (data would be misdecoded)
 * @param stale                     templates on either side not refreshed within 2x their refresh interval
 * @param inUseOnActive             active templates that saw data within the in-use window
 * @param readyOnPassive            of those, how many the passive holds with an identical definition
 * @param readiness                 readyOnPassive / inUseOnActive, 1.0 when the active uses none
 * @param exposure                  per gap (missing or conflicting), the active's record rate for it
 * @param exposedRecordsPerSecond   sum of {@code exposure}: records/s the passive would drop after failover
 */
public record ParityReport(
        long comparedAtMillis,
        long inUseWindowMillis,
        List<Gap> missingOnPassive,
        List<Gap> missingOnActive,
        List<Conflict> conflicts,
        List<Stale> stale,
        int inUseOnActive,
        int readyOnPassive,
        double readiness,
        List<Exposure> exposure,
        double exposedRecordsPerSecond) {

    public ParityReport {
        missingOnPassive = List.copyOf(missingOnPassive);
        missingOnActive = List.copyOf(missingOnActive);
        conflicts = List.copyOf(conflicts);
        stale = List.copyOf(stale);
        exposure = List.copyOf(exposure);
    }

    /** True when nothing differs and nothing is stale. */
    public boolean isClean() {
        return missingOnPassive.isEmpty() && missingOnActive.isEmpty() && conflicts.isEmpty() && stale.isEmpty();
    }

    public enum Side { ACTIVE, PASSIVE }

    public enum Cause { MISSING_ON_PASSIVE, CONFLICT }

    /** A template present on one side only; the rate is that side's data-record rate. */
    public record Gap(TemplateKey key, TemplateKind kind, boolean inUse, double recordsPerSecond) {
    }

    public record Conflict(TemplateKey key, TemplateDefinition active, TemplateDefinition passive,
                           List<FieldChange> fieldDiff, double activeRecordsPerSecond) {
        public Conflict {
            fieldDiff = List.copyOf(fieldDiff);
        }
    }

    /** A field position where the definitions differ; a null side means the field is absent there. */
    public record FieldChange(int position, TemplateField active, TemplateField passive) {
    }

    public record Stale(Side side, TemplateKey key, long lastSeenMillis, long refreshIntervalMillis) {
    }

    public record Exposure(TemplateKey key, Cause cause, double recordsPerSecond) {
    }
}
