package io.tandem.netflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class PacketDecoderTest {

    private static final Exporter EXPORTER = Exporter.parse("192.0.2.10");
    private final TemplateCache cache = new TemplateCache();
    private final DecodeStats stats = new DecodeStats();

    private Optional<DecodeError> decode(byte[] packet) {
        return PacketDecoder.decode(EXPORTER, packet, 0, packet.length, 1_000, cache, stats);
    }

    @Test
    void ipfixTemplateWithEnterpriseAndVariableLengthFieldsIsLearnedAndDataCounted() {
        byte[] template = Wire.ipfix(7).set(2).template(300, 8, 4, 0, 82, 65535, 0, 100, 2, 9).bytes();
        assertThat(decode(template)).isEmpty();
        CachedTemplate t = cache.snapshot(1_000).find(new TemplateKey(EXPORTER, 7, 300)).orElseThrow();
        assertThat(t.kind()).isEqualTo(TemplateKind.IPFIX);
        assertThat(t.definition().fields()).containsExactly(new TemplateField(8, 0, 4), new TemplateField(82, 0, 65535),
                new TemplateField(100, 9, 2));

        // three records: 1-byte length, 3-byte (255 + u16) length, zero length; then 2 bytes of padding
        byte[] data = Wire.ipfix(7).set(300)
                .u32(1).u8(3).u8('a').u8('b').u8('c').u16(1)
                .u32(2).u8(255).u16(4).u32(0x41424344).u16(2)
                .u32(3).u8(0).u16(3)
                .zeros(2).bytes();
        assertThat(decode(data)).isEmpty();
        assertThat(stats.dataRecords()).isEqualTo(3);
        assertThat(stats.undecodableSets()).isZero();
    }

    @Test
    void sourceIdIsPartOfTheKeyAndUnknownTemplatesAreUndecodable() {
        decode(Wire.v9(1, 1).set(0).template(256, 8, 4, 0, 12, 4, 0).bytes());
        byte[] otherSource = Wire.v9(2, 3).set(256).u32(1).u32(2).u32(3).u32(4).u32(5).u32(6).bytes();
        assertThat(decode(otherSource)).isEmpty();
        assertThat(stats.dataRecords()).isZero();
        assertThat(stats.undecodableSets()).isEqualTo(1);
        assertThat(stats.undecodableRecords()).isEqualTo(3); // the v9 header counted 3 records

        byte[] sameSource = Wire.v9(1, 3).set(256).u32(1).u32(2).u32(3).u32(4).u32(5).u32(6).bytes();
        decode(sameSource);
        assertThat(stats.dataRecords()).isEqualTo(3);
    }

    @Test
    void v9OptionsTemplateCountsScopeFieldsInBytes() {
        byte[] options = Wire.v9(0, 1).set(1).u16(260).u16(4).u16(8).u16(1).u16(4).u16(34).u16(4).u16(35).u16(1).bytes();
        assertThat(decode(options)).isEmpty();
        CachedTemplate t = cache.snapshot(0).templates().get(0);
        assertThat(t.kind()).isEqualTo(TemplateKind.V9_OPTIONS);
        assertThat(t.definition().scopeFieldCount()).isEqualTo(1);
        assertThat(t.definition().fields()).hasSize(3);
        assertThat(stats.optionsTemplateRecords()).isEqualTo(1);
    }

    @Test
    void withdrawalsRemoveOneTemplateOrAllOfAKindInTheDomain() {
        decode(Wire.ipfix(5).set(2).template(256, 8, 4, 0).template(257, 12, 4, 0).template(258, 7, 2, 0)
                .set(3).u16(400).u16(2).u16(1).u16(149).u16(4).u16(34).u16(4).bytes());
        decode(Wire.ipfix(6).set(2).template(256, 8, 4, 0).bytes());
        assertThat(cache.size()).isEqualTo(5);

        decode(Wire.ipfix(5).set(2).u16(257).u16(0).bytes());
        assertThat(cache.snapshot(0).find(new TemplateKey(EXPORTER, 5, 257))).isEmpty();
        assertThat(cache.size()).isEqualTo(4);

        decode(Wire.ipfix(5).set(2).u16(2).u16(0).bytes()); // all data templates of domain 5
        assertThat(cache.snapshot(0).templates()).extracting(t -> t.key().domain() + "/" + t.key().templateId())
                .containsExactlyInAnyOrder("5/400", "6/256");

        decode(Wire.ipfix(5).set(3).u16(3).u16(0).bytes()); // all options templates of domain 5
        assertThat(cache.snapshot(0).templates()).extracting(t -> t.key().templateId()).containsExactly(256);
        assertThat(stats.withdrawals()).isEqualTo(3);
    }

    @Test
    void refreshWithSameDefinitionKeepsTheEntryAndAChangedDefinitionReplacesIt() {
        byte[] template = Wire.ipfix(1).set(2).template(256, 8, 4, 0).bytes();
        PacketDecoder.decode(EXPORTER, template, 0, template.length, 10_000, cache, stats);
        PacketDecoder.decode(EXPORTER, template, 0, template.length, 70_000, cache, stats);
        CachedTemplate refreshed = cache.snapshot(70_000).templates().get(0);
        assertThat(refreshed.refreshCount()).isEqualTo(1);
        assertThat(refreshed.refreshIntervalMillis()).isEqualTo(60_000);
        assertThat(refreshed.firstSeenMillis()).isEqualTo(10_000);

        byte[] changed = Wire.ipfix(1).set(2).template(256, 8, 4, 0, 12, 4, 0).bytes();
        PacketDecoder.decode(EXPORTER, changed, 0, changed.length, 80_000, cache, stats);
        CachedTemplate replaced = cache.snapshot(80_000).templates().get(0);
        assertThat(replaced.definition().fields()).hasSize(2);
        assertThat(replaced.refreshCount()).isZero();
        assertThat(replaced.definition().hash()).isNotEqualTo(refreshed.definition().hash());
    }

    @Test
    void dataRateIsMeasuredOverCompleteWindows() {
        decode(Wire.ipfix(1).set(2).template(256, 8, 4, 0).bytes());
        byte[] tenRecords = Wire.ipfix(1).set(256).zeros(40).bytes();
        for (long t = 0; t < 10_000; t += 1_000) {
            PacketDecoder.decode(EXPORTER, tenRecords, 0, tenRecords.length, t, cache, stats);
        }
        // 100 records in the first 10 s window; the rate reports the last complete window
        assertThat(cache.snapshot(12_000).templates().get(0).recordsPerSecond()).isEqualTo(10.0);
        assertThat(cache.snapshot(25_000).templates().get(0).recordsPerSecond()).isZero();
        assertThat(cache.snapshot(25_000).templates().get(0).dataRecords()).isEqualTo(100);
    }

    @Test
    void malformedPacketsYieldTypedErrorsAndKeepWhatParsedBefore() {
        assertThat(decode(new byte[] {0, 10, 0})).contains(new DecodeError(0, DecodeProblem.TRUNCATED_HEADER));
        assertThat(decode(new byte[] {0, 7, 0, 0})).contains(new DecodeError(0, DecodeProblem.UNSUPPORTED_VERSION));

        byte[] lyingLength = Wire.ipfix(1).set(2).template(256, 8, 4, 0).bytes();
        lyingLength[3] += 4;
        assertThat(decode(lyingLength)).map(DecodeError::problem).contains(DecodeProblem.MESSAGE_TRUNCATED);

        // first template complete, second overruns its set: only the first is applied
        byte[] overrun = Wire.ipfix(1).set(2).template(256, 8, 4, 0).u16(257).u16(50).u16(8).u16(4).bytes();
        assertThat(decode(overrun)).map(DecodeError::problem).contains(DecodeProblem.TEMPLATE_OVERRUNS_SET);
        assertThat(cache.snapshot(0).templates()).extracting(t -> t.key().templateId()).containsExactly(256);

        byte[] zeroSet = Wire.ipfix(1).set(2).template(258, 8, 4, 0).bytes();
        byte[] looping = java.util.Arrays.copyOf(zeroSet, zeroSet.length + 4);
        looping[zeroSet.length + 1] = 9; // set id 9, length 0
        looping[3] = (byte) looping.length;
        assertThat(decode(looping)).contains(new DecodeError(zeroSet.length + 2, DecodeProblem.SET_LENGTH_TOO_SHORT));

        byte[] v5 = new byte[24];
        v5[1] = 5;
        v5[3] = 2;
        assertThat(decode(v5)).map(DecodeError::problem).contains(DecodeProblem.V5_RECORDS_OVERRUN);
        assertThat(stats.packetsWithErrors()).isEqualTo(stats.packets());
    }

    @Test
    void variableLengthRecordThatOverrunsItsSetIsReportedAfterCountingCompleteOnes() {
        decode(Wire.ipfix(1).set(2).template(256, 82, 65535, 0).bytes());
        byte[] data = Wire.ipfix(1).set(256).u8(2).u16(0x4142).u8(200).u16(1).bytes();
        assertThat(decode(data)).map(DecodeError::problem).contains(DecodeProblem.VARIABLE_LENGTH_OVERRUN);
        assertThat(stats.dataRecords()).isEqualTo(1);
    }

    @Test
    void zeroFilledTailAfterTheLastSetIsPaddingNotAnError() {
        decode(Wire.v9(0, 1).set(0).template(256, 8, 4, 0).bytes());
        byte[] data = Wire.v9(0, 1).set(256).u32(1).bytes();
        byte[] padded = java.util.Arrays.copyOf(data, data.length + 100);
        assertThat(decode(padded)).isEmpty();
        assertThat(stats.dataRecords()).isEqualTo(1);
    }

    @Test
    void cacheLimitRejectsNewTemplatesButRefreshesKnownOnes() {
        TemplateCache small = new TemplateCache(1);
        byte[] first = Wire.ipfix(1).set(2).template(256, 8, 4, 0).bytes();
        byte[] second = Wire.ipfix(1).set(2).template(257, 8, 4, 0).bytes();
        assertThat(PacketDecoder.decode(EXPORTER, first, 0, first.length, 0, small, stats)).isEmpty();
        assertThat(PacketDecoder.decode(EXPORTER, second, 0, second.length, 0, small, stats))
                .map(DecodeError::problem).contains(DecodeProblem.TEMPLATE_LIMIT_REACHED);
        assertThat(PacketDecoder.decode(EXPORTER, first, 0, first.length, 5, small, stats)).isEmpty();
        assertThat(small.snapshot(5).templates()).extracting(CachedTemplate::refreshCount).containsExactly(1L);
    }

    @Test
    void decodesAtAnOffsetInsideALargerBuffer() {
        byte[] template = Wire.ipfix(1).set(2).template(256, 8, 4, 0).bytes();
        byte[] framed = new byte[template.length + 10];
        System.arraycopy(template, 0, framed, 7, template.length);
        assertThat(PacketDecoder.decode(EXPORTER, framed, 7, template.length, 0, cache, stats)).isEmpty();
        assertThat(cache.size()).isEqualTo(1);
        assertThat(List.of(stats.ipfixPackets(), stats.templateRecords())).containsExactly(1L, 1L);
    }
}
