package io.tandem.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigManifestTest {

    @TempDir
    Path root;
    Path home;

    static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @BeforeEach
    void nfoHome() throws Exception {
        home = root.resolve("flowintegrator");
        write(home.resolve("server/etc/server.cfg"), "LISTEN_PORT 9555\n");
        write(home.resolve("server/etc/sub/outputs.cfg"), "OUTPUT syslog 192.0.2.10:514\n");
        write(home.resolve("server/etc/debug.log"), "noise\n");
        write(home.resolve("tomcat/conf/server.xml"), "<Server/>\n");
        write(home.resolve("tomcat/conf/web.properties"), "x=1\n");
        write(home.resolve("bin/nfc_svr"), "ELF");
        write(home.resolve(".tandem/backups/x/files/server/etc/server.cfg"), "old\n");
        write(root.resolve("outside/secret.cfg"), "secret\n");
        Files.createSymbolicLink(home.resolve("server/etc/escape.cfg"), root.resolve("outside/secret.cfg"));
        Files.createSymbolicLink(home.resolve("server/etc/inside.cfg"), home.resolve("server/etc/server.cfg"));
        Files.createSymbolicLink(home.resolve("server/etc/linked-dir"), root.resolve("outside"));
        Files.setPosixFilePermissions(home.resolve("server/etc/server.cfg"), PosixFilePermissions.fromString("rw-r-----"));
    }

    private ConfigScope scope(int maxFiles, long maxHashBytes) {
        return new ConfigScope(home, List.of("server/etc/**", "tomcat/conf/*.xml"), List.of("**/*.log"), maxFiles,
                maxHashBytes);
    }

    @Test
    void listsMatchingRegularFilesInPathOrderWithModeAndHash() throws Exception {
        ConfigManifest manifest = ConfigManifest.scan(scope(100, 1024));

        assertThat(manifest.files()).extracting(ManifestEntry::path)
                .containsExactly("server/etc/server.cfg", "server/etc/sub/outputs.cfg", "tomcat/conf/server.xml");
        ManifestEntry cfg = manifest.files().get(0);
        assertThat(cfg.size()).isEqualTo(17);
        assertThat(cfg.mode()).isEqualTo("0640");
        assertThat(cfg.sha256()).isEqualTo(SafeFiles.sha256("LISTEN_PORT 9555\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(cfg.owner()).isNotBlank();
        assertThat(manifest.truncated()).isFalse();
    }

    @Test
    void neverFollowsSymlinksButNamesThem() throws Exception {
        ConfigManifest manifest = ConfigManifest.scan(scope(100, 1024));

        assertThat(manifest.skipped()).containsExactly(
                new ConfigManifest.Skipped("server/etc/escape.cfg", ConfigManifest.SkipReason.SYMLINK),
                new ConfigManifest.Skipped("server/etc/inside.cfg", ConfigManifest.SkipReason.SYMLINK),
                new ConfigManifest.Skipped("server/etc/linked-dir", ConfigManifest.SkipReason.SYMLINK));
        assertThat(manifest.files()).noneMatch(e -> e.path().contains("secret"));
    }

    @Test
    void flagsFilesTooLargeToHashAndStopsAtTheFileLimit() throws Exception {
        ConfigManifest small = ConfigManifest.scan(scope(100, 10));
        ConfigManifest limited = ConfigManifest.scan(scope(2, 1024));

        assertThat(small.byPath().get("server/etc/server.cfg").hashed()).isFalse();
        assertThat(small.byPath().get("tomcat/conf/server.xml").hashed()).isTrue();
        assertThat(limited.truncated()).isTrue();
        assertThat(limited.files()).hasSize(2);
    }

    @Test
    void diffSortsPathsIntoOnlyHereOnlyThereDifferingAndSame() throws Exception {
        ConfigManifest before = ConfigManifest.scan(scope(100, 1024));
        write(home.resolve("server/etc/server.cfg"), "LISTEN_PORT 2055\n"); // same size, other content
        Files.delete(home.resolve("tomcat/conf/server.xml"));
        write(home.resolve("server/etc/new.cfg"), "n\n");
        ConfigManifest after = ConfigManifest.scan(scope(100, 1024));

        ManifestDiff diff = ManifestDiff.between(before, after);

        assertThat(diff.onlyInA()).containsExactly("tomcat/conf/server.xml");
        assertThat(diff.onlyInB()).containsExactly("server/etc/new.cfg");
        assertThat(diff.differing()).containsExactly("server/etc/server.cfg");
        assertThat(diff.same()).containsExactly("server/etc/sub/outputs.cfg");
        assertThat(diff.identical()).isFalse();
        assertThat(ManifestDiff.between(after, after).identical()).isTrue();
    }
}
