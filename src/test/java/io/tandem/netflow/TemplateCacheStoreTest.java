package io.tandem.netflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateCacheStoreTest {

    @TempDir
    Path dir;

    private static TemplateCache populated() {
        TemplateCache cache = new TemplateCache();
        DecodeStats stats = new DecodeStats();
        Exporter v4 = Exporter.parse("192.0.2.7");
        Exporter v6 = Exporter.parse("2001:db8::7");
        byte[] ipfix = Wire.ipfix(4_000_000_000L).set(2).template(256, 8, 4, 0, 82, 65535, 0, 12235, 4, 9)
                .set(3).u16(257).u16(2).u16(1).u16(149).u16(4).u16(34).u16(4).bytes();
        byte[] v9 = Wire.v9(3, 1).set(0).template(300, 8, 4, 0, 12, 4, 0).bytes();
        PacketDecoder.decode(v4, ipfix, 0, ipfix.length, 1_000, cache, stats);
        PacketDecoder.decode(v6, v9, 0, v9.length, 2_000, cache, stats);
        PacketDecoder.decode(v6, v9, 0, v9.length, 62_000, cache, stats);
        byte[] data = Wire.v9(3, 2).set(300).zeros(16).bytes();
        PacketDecoder.decode(v6, data, 0, data.length, 63_000, cache, stats);
        return cache;
    }

    @Test
    void roundTripRestoresEveryTemplateWithItsHistory() throws IOException {
        TemplateCache cache = populated();
        TemplateSnapshot before = cache.snapshot(70_000);
        TemplateCacheStore store = new TemplateCacheStore(dir);
        store.save(before);

        TemplateCacheStore.LoadResult loaded = store.load();
        assertThat(loaded).isInstanceOf(TemplateCacheStore.LoadResult.Loaded.class);
        TemplateCache restored = new TemplateCache();
        restored.restore(loaded.snapshot());
        TemplateSnapshot after = restored.snapshot(70_000);
        assertThat(after.templates()).hasSize(3);
        assertThat(after.templates()).extracting(CachedTemplate::key, CachedTemplate::definition, CachedTemplate::firstSeenMillis,
                        CachedTemplate::lastSeenMillis, CachedTemplate::refreshCount, CachedTemplate::refreshIntervalMillis,
                        CachedTemplate::dataRecords, CachedTemplate::lastDataMillis)
                .isEqualTo(before.templates().stream().map(t -> org.assertj.core.groups.Tuple.tuple(t.key(), t.definition(),
                        t.firstSeenMillis(), t.lastSeenMillis(), t.refreshCount(), t.refreshIntervalMillis(),
                        t.dataRecords(), t.lastDataMillis())).toList());
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(store.file()); // no temp file left behind
        }
    }

    @Test
    void missingFileIsReportedAsMissingWithAnEmptySnapshot() {
        TemplateCacheStore.LoadResult r = new TemplateCacheStore(dir).load();
        assertThat(r).isInstanceOf(TemplateCacheStore.LoadResult.Missing.class);
        assertThat(r.snapshot().templates()).isEmpty();
    }

    @Test
    void corruptFilesGiveATypedErrorAndAnEmptyCache() throws IOException {
        TemplateCacheStore store = new TemplateCacheStore(dir);
        String valid = "{\"format\":\"tandem-netflow-templates\",\"version\":1,\"savedAt\":0,\"templates\":[{\"exporter\":\"192.0.2.1\","
                + "\"domain\":1,\"templateId\":256,\"kind\":\"IPFIX\",\"scopeFieldCount\":0,\"fields\":[{\"id\":8,\"enterprise\":0,\"length\":4}],"
                + "\"firstSeen\":0,\"lastSeen\":0,\"refreshCount\":0,\"refreshIntervalMillis\":0,\"dataRecords\":0,\"lastData\":0}]}";
        Files.writeString(store.file(), valid);
        assertThat(store.load().snapshot().templates()).hasSize(1);

        for (String corrupt : new String[] {
                "{\"format\":\"tandem-netflow-templates\",\"version\":1,\"templ",           // truncated
                "\u0000\u0001binary",                                                       // not JSON
                valid.replace("\"version\":1", "\"version\":99"),                            // unknown version
                valid.replace("\"templateId\":256", "\"templateId\":12"),                   // invalid id
                valid.replace("\"length\":4", "\"length\":70000"),                          // invalid length
                valid.replace("\"fields\":[{\"id\":8,\"enterprise\":0,\"length\":4}]", "\"fields\":[]"),
                valid.replace("\"kind\":\"IPFIX\"", "\"kind\":\"SFLOW\""),
                valid.replace("192.0.2.1", "router.example.com"),                          // names are not resolved
                valid.replace("\"templates\":[", "\"templates\":[" + valid.substring(valid.indexOf("{\"exporter"), valid.length() - 2) + ","),
                "null"}) {
            Files.writeString(store.file(), corrupt);
            TemplateCacheStore.LoadResult r = store.load();
            assertThat(r).as(corrupt).isInstanceOf(TemplateCacheStore.LoadResult.Corrupt.class);
            assertThat(r.snapshot().templates()).isEmpty();
        }
    }
}
