package io.tandem.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's manifest hashes only files that changed, and never answers a stale hash. A clock set ahead stands in
 * for files written long ago (every file here is new, and a just-written file is never cached).
 */
class ManifestCacheTest {

    @TempDir
    Path home;

    private static final Clock AN_HOUR_LATER = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));

    @BeforeEach
    void nfoHome() throws Exception {
        ConfigManifestTest.write(home.resolve("server/etc/server.cfg"), "LISTEN_PORT 9555\n");
        ConfigManifestTest.write(home.resolve("server/etc/outputs.cfg"), "OUTPUT syslog 192.0.2.10:514\n");
    }

    private ConfigManifest scan(ManifestCache cache) throws Exception {
        return ConfigManifest.scan(new ConfigScope(home, List.of("server/etc/**"), List.of(), 100, 1 << 20), cache);
    }

    private String sha(ConfigManifest manifest, String path) {
        return manifest.byPath().get(path).sha256();
    }

    @Test
    void unchangedSettledFilesAreAnsweredFromTheCacheWithTheSameHashes() throws Exception {
        ManifestCache cache = new ManifestCache(AN_HOUR_LATER);

        ConfigManifest first = scan(cache);
        ConfigManifest second = scan(cache);

        assertThat(second).isEqualTo(first);
        assertThat(cache.hits()).isEqualTo(2);
        assertThat(sha(second, "server/etc/server.cfg")).isEqualTo(SafeFiles.sha256("LISTEN_PORT 9555\n".getBytes()));
    }

    @Test
    void aFileJustWrittenIsHashedAgainEvenWhenSizeAndMtimeAreKept() throws Exception {
        ManifestCache cache = new ManifestCache(Clock.systemUTC()); // the files are seconds old: not settled
        Path file = home.resolve("server/etc/server.cfg");
        scan(cache);
        FileTime mtime = Files.getLastModifiedTime(file);

        Files.writeString(file, "LISTEN_PORT 6666\n"); // same size, most likely the same coarse ctime tick
        Files.setLastModifiedTime(file, mtime);
        ConfigManifest after = scan(cache);

        assertThat(cache.hits()).isZero();
        assertThat(sha(after, "server/etc/server.cfg")).isEqualTo(SafeFiles.sha256("LISTEN_PORT 6666\n".getBytes()));
    }

    @Test
    void aSettledFileChangedInPlaceWithItsSizeAndMtimeKeptIsHashedAgain() throws Exception {
        ManifestCache cache = new ManifestCache(AN_HOUR_LATER);
        Path file = home.resolve("server/etc/server.cfg");
        FileTime mtime = Files.getLastModifiedTime(file);
        Object ctime = Files.getAttribute(file, "unix:ctime");
        scan(cache);

        // rewrite until the kernel's coarse ctime moves on, as it has for any write an hour later
        String content = "LISTEN_PORT 6666\n";
        for (int i = 0; Files.getAttribute(file, "unix:ctime").equals(ctime) && i < 100_000; i++) {
            Files.writeString(file, content);
            Files.setLastModifiedTime(file, mtime);
        }
        ConfigManifest after = scan(cache);

        assertThat(Files.getLastModifiedTime(file)).isEqualTo(mtime);
        assertThat(sha(after, "server/etc/server.cfg")).isEqualTo(SafeFiles.sha256(content.getBytes()));
        assertThat(sha(after, "server/etc/outputs.cfg")).isEqualTo(SafeFiles.sha256("OUTPUT syslog 192.0.2.10:514\n".getBytes()));
    }

    @Test
    void aFileReplacedByRenameIsHashedAgain() throws Exception {
        ManifestCache cache = new ManifestCache(AN_HOUR_LATER);
        Path file = home.resolve("server/etc/server.cfg");
        FileTime mtime = Files.getLastModifiedTime(file);
        scan(cache);

        Path replacement = home.resolve("server/etc/.server.cfg.tmp");
        Files.writeString(replacement, "LISTEN_PORT 7777\n");
        Files.setLastModifiedTime(replacement, mtime);
        Files.move(replacement, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        ConfigManifest after = scan(cache);

        assertThat(sha(after, "server/etc/server.cfg")).isEqualTo(SafeFiles.sha256("LISTEN_PORT 7777\n".getBytes()));
    }

    @Test
    void aHashOlderThanTheLimitIsRecomputed() throws Exception {
        Instant[] now = {Instant.now().plus(Duration.ofHours(1))};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        ManifestCache cache = new ManifestCache(clock);
        scan(cache);

        now[0] = now[0].plus(ManifestCache.MAX_AGE);
        scan(cache);

        assertThat(cache.hits()).isZero();
    }
}
