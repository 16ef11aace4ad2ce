package io.tandem.netflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Parity between two caches fed through the real decoder, with explicit times. */
class ParityTest {

    private static final Exporter ROUTER = Exporter.parse("198.51.100.1");
    private static final long MINUTE = 60_000;

    private final TemplateCache active = new TemplateCache();
    private final TemplateCache passive = new TemplateCache();
    private final DecodeStats stats = new DecodeStats();

    private static byte[] template(int id, int... elementsAndLengths) {
        Wire w = Wire.ipfix(1).set(2).u16(id).u16(elementsAndLengths.length / 2);
        for (int i = 0; i < elementsAndLengths.length; i += 2) {
            w.u16(elementsAndLengths[i]).u16(elementsAndLengths[i + 1]);
        }
        return w.bytes();
    }

    private static byte[] data(int id, int fourByteRecords) {
        return Wire.ipfix(1).set(id).zeros(4 * fourByteRecords).bytes();
    }

    private void feed(TemplateCache cache, byte[] packet, long now) {
        PacketDecoder.decode(ROUTER, packet, 0, packet.length, now, cache, stats);
    }

    /** 10 records per second on {@code id} for 20 s ending at {@code end}. */
    private void traffic(TemplateCache cache, int id, long end) {
        for (long t = end - 20_000; t < end; t += 1_000) {
            feed(cache, data(id, 10), t);
        }
    }

    @Test
    void identicalCachesAreFullyReady() {
        long now = 10 * MINUTE;
        for (TemplateCache c : List.of(active, passive)) {
            feed(c, template(256, 8, 4), now - 30_000);
            traffic(c, 256, now);
        }
        ParityReport r = Parity.compare(active.snapshot(now), passive.snapshot(now), now);
        assertThat(r.isClean()).isTrue();
        assertThat(r.inUseOnActive()).isEqualTo(1);
        assertThat(r.readiness()).isEqualTo(1.0);
        assertThat(r.exposedRecordsPerSecond()).isZero();
    }

    @Test
    void templateMissingOnThePassiveIsExposedAtTheActiveRate() {
        long now = 10 * MINUTE;
        feed(active, template(256, 8, 4), now - 30_000);
        feed(active, template(257, 12, 4), now - 30_000);
        feed(passive, template(256, 8, 4), now - 30_000);
        traffic(active, 256, now);
        traffic(active, 257, now);
        ParityReport r = Parity.compare(active.snapshot(now), passive.snapshot(now), now);
        assertThat(r.missingOnPassive()).extracting(g -> g.key().templateId()).containsExactly(257);
        assertThat(r.missingOnPassive().get(0).inUse()).isTrue();
        assertThat(r.missingOnActive()).isEmpty();
        assertThat(r.inUseOnActive()).isEqualTo(2);
        assertThat(r.readyOnPassive()).isEqualTo(1);
        assertThat(r.readiness()).isEqualTo(0.5);
        assertThat(r.exposure()).singleElement().satisfies(e -> {
            assertThat(e.cause()).isEqualTo(ParityReport.Cause.MISSING_ON_PASSIVE);
            assertThat(e.recordsPerSecond()).isCloseTo(10.0, within(1e-9));
        });
        assertThat(r.exposedRecordsPerSecond()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void templateOnlyOnThePassiveIsReportedButNotExposed() {
        feed(passive, template(300, 8, 4), 0);
        ParityReport r = Parity.compare(active.snapshot(1_000), passive.snapshot(1_000), 1_000);
        assertThat(r.missingOnActive()).extracting(g -> g.key().templateId()).containsExactly(300);
        assertThat(r.missingOnPassive()).isEmpty();
        assertThat(r.readiness()).isEqualTo(1.0); // the active uses nothing
        assertThat(r.exposedRecordsPerSecond()).isZero();
    }

    @Test
    void conflictingDefinitionsCarryAFieldDiffAndCountAsExposure() {
        long now = 10 * MINUTE;
        feed(active, template(256, 8, 4, 12, 4, 7, 2), now - 30_000);
        feed(passive, template(256, 8, 4, 12, 16), now - 30_000);
        for (long t = now - 20_000; t < now; t += 1_000) {
            feed(active, Wire.ipfix(1).set(256).zeros(10 * 10).bytes(), t); // 10 records of 10 bytes
        }
        ParityReport r = Parity.compare(active.snapshot(now), passive.snapshot(now), now);
        assertThat(r.conflicts()).singleElement().satisfies(c -> {
            assertThat(c.key().templateId()).isEqualTo(256);
            assertThat(c.fieldDiff()).containsExactly(
                    new ParityReport.FieldChange(1, new TemplateField(12, 0, 4), new TemplateField(12, 0, 16)),
                    new ParityReport.FieldChange(2, new TemplateField(7, 0, 2), null));
            assertThat(c.activeRecordsPerSecond()).isCloseTo(10.0, within(1e-9));
        });
        assertThat(r.readiness()).isZero();
        assertThat(r.exposure()).extracting(ParityReport.Exposure::cause).containsExactly(ParityReport.Cause.CONFLICT);
        assertThat(r.exposedRecordsPerSecond()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void withdrawalRemovesTheTemplateAndParitySeesItMissing() {
        for (TemplateCache c : List.of(active, passive)) {
            feed(c, template(256, 8, 4), 0);
        }
        feed(passive, Wire.ipfix(1).set(2).u16(256).u16(0).bytes(), 1_000);
        assertThat(passive.size()).isZero();
        ParityReport r = Parity.compare(active.snapshot(2_000), passive.snapshot(2_000), 2_000);
        assertThat(r.missingOnPassive()).extracting(g -> g.key().templateId()).containsExactly(256);
        assertThat(r.missingOnPassive().get(0).inUse()).isFalse();
    }

    @Test
    void templatesNotRefreshedWithinTwiceTheirIntervalAreStaleOnTheirSide() {
        feed(active, template(256, 8, 4), 0);
        feed(active, template(256, 8, 4), MINUTE);      // refresh interval: 1 min
        feed(passive, template(256, 8, 4), 0);
        feed(passive, template(256, 8, 4), MINUTE);
        feed(passive, template(256, 8, 4), 2 * MINUTE); // the passive keeps receiving
        feed(active, template(256, 8, 4), 2 * MINUTE);

        long beforeDeadline = 4 * MINUTE;
        assertThat(Parity.compare(active.snapshot(beforeDeadline), passive.snapshot(beforeDeadline), beforeDeadline).stale())
                .isEmpty();

        feed(passive, template(256, 8, 4), 4 * MINUTE);
        long now = 4 * MINUTE + 1;                       // active last refreshed at 2 min: overdue
        ParityReport r = Parity.compare(active.snapshot(now), passive.snapshot(now), now);
        assertThat(r.stale()).singleElement().satisfies(s -> {
            assertThat(s.side()).isEqualTo(ParityReport.Side.ACTIVE);
            assertThat(s.lastSeenMillis()).isEqualTo(2 * MINUTE);
            assertThat(s.refreshIntervalMillis()).isEqualTo(MINUTE);
        });
    }

    @Test
    void readinessCountsOnlyTemplatesThatSawDataWithinTheInUseWindow() {
        long now = 30 * MINUTE;
        for (int id = 256; id < 260; id++) {
            feed(active, template(id, 8, 4), 0);
        }
        feed(passive, template(256, 8, 4), 0);
        feed(passive, template(258, 8, 4), 0);
        traffic(active, 256, now);                       // in use, ready
        traffic(active, 257, now);                       // in use, missing on passive
        traffic(active, 258, now - 20 * MINUTE);         // idle for 20 min: not in use
        ParityReport r = Parity.compare(active.snapshot(now), passive.snapshot(now), now);
        assertThat(r.inUseWindowMillis()).isEqualTo(Parity.DEFAULT_IN_USE_WINDOW_MILLIS);
        assertThat(r.inUseOnActive()).isEqualTo(2);
        assertThat(r.readyOnPassive()).isEqualTo(1);
        assertThat(r.readiness()).isEqualTo(0.5);
        assertThat(r.missingOnPassive()).extracting(g -> g.key().templateId()).containsExactly(257, 259);
        assertThat(r.exposedRecordsPerSecond()).isCloseTo(10.0, within(1e-9)); // 259 is idle: rate 0

        ParityReport wide = Parity.compare(active.snapshot(now), passive.snapshot(now), now, 60 * MINUTE);
        assertThat(wide.inUseOnActive()).isEqualTo(3);
        assertThat(wide.readiness()).isCloseTo(2.0 / 3, within(1e-9));
    }
}
