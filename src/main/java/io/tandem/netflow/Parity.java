package io.tandem.netflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compares the template caches of an active and a passive NFO node. */
public final class Parity {

    /**
     * A template is "in use" when it saw data within this window. Five minutes covers exporters that
     * send options data (sampling, interface tables) only every few minutes.
     */
    public static final long DEFAULT_IN_USE_WINDOW_MILLIS = 5 * 60_000;

    private Parity() {
    }

    public static ParityReport compare(TemplateSnapshot active, TemplateSnapshot passive, long nowMillis) {
        return compare(active, passive, nowMillis, DEFAULT_IN_USE_WINDOW_MILLIS);
    }

    public static ParityReport compare(TemplateSnapshot active, TemplateSnapshot passive, long nowMillis,
                                       long inUseWindowMillis) {
        Map<TemplateKey, CachedTemplate> passiveByKey = passive.byKey();
        Map<TemplateKey, CachedTemplate> activeByKey = active.byKey();
        List<ParityReport.Gap> missingOnPassive = new ArrayList<>();
        List<ParityReport.Gap> missingOnActive = new ArrayList<>();
        List<ParityReport.Conflict> conflicts = new ArrayList<>();
        List<ParityReport.Stale> stale = new ArrayList<>();
        List<ParityReport.Exposure> exposure = new ArrayList<>();
        int inUse = 0;
        int ready = 0;
        for (CachedTemplate a : active.templates()) {
            boolean used = a.isInUse(nowMillis, inUseWindowMillis);
            inUse += used ? 1 : 0;
            CachedTemplate p = passiveByKey.get(a.key());
            if (p == null) {
                missingOnPassive.add(new ParityReport.Gap(a.key(), a.kind(), used, a.recordsPerSecond()));
                exposure.add(new ParityReport.Exposure(a.key(), ParityReport.Cause.MISSING_ON_PASSIVE, a.recordsPerSecond()));
            } else if (!p.definition().equals(a.definition())) {
                conflicts.add(new ParityReport.Conflict(a.key(), a.definition(), p.definition(),
                        fieldDiff(a.definition().fields(), p.definition().fields()), a.recordsPerSecond()));
                exposure.add(new ParityReport.Exposure(a.key(), ParityReport.Cause.CONFLICT, a.recordsPerSecond()));
            } else if (used) {
                ready++;
            }
            if (a.isStale(nowMillis)) {
                stale.add(new ParityReport.Stale(ParityReport.Side.ACTIVE, a.key(), a.lastSeenMillis(), a.refreshIntervalMillis()));
            }
        }
        for (CachedTemplate p : passive.templates()) {
            if (!activeByKey.containsKey(p.key())) {
                missingOnActive.add(new ParityReport.Gap(p.key(), p.kind(), p.isInUse(nowMillis, inUseWindowMillis),
                        p.recordsPerSecond()));
            }
            if (p.isStale(nowMillis)) {
                stale.add(new ParityReport.Stale(ParityReport.Side.PASSIVE, p.key(), p.lastSeenMillis(), p.refreshIntervalMillis()));
            }
        }
        double readiness = inUse == 0 ? 1.0 : (double) ready / inUse;
        double exposed = exposure.stream().mapToDouble(ParityReport.Exposure::recordsPerSecond).sum();
        return new ParityReport(nowMillis, inUseWindowMillis, missingOnPassive, missingOnActive, conflicts, stale,
                inUse, ready, readiness, exposure, exposed);
    }

    /** Position-by-position difference; trailing fields present on one side only have a null on the other. */
    static List<ParityReport.FieldChange> fieldDiff(List<TemplateField> active, List<TemplateField> passive) {
        List<ParityReport.FieldChange> changes = new ArrayList<>();
        for (int i = 0; i < Math.max(active.size(), passive.size()); i++) {
            TemplateField a = i < active.size() ? active.get(i) : null;
            TemplateField p = i < passive.size() ? passive.get(i) : null;
            if (a == null || !a.equals(p)) {
                changes.add(new ParityReport.FieldChange(i, a, p));
            }
        }
        return changes;
    }
}
