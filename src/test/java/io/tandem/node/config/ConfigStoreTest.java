package io.tandem.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ConfigStoreTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T19:41:49.123Z"), ZoneOffset.UTC);

    @TempDir
    Path root;
    Path home;
    ConfigScope scope;

    @BeforeEach
    void nfoHome() throws Exception {
        home = root.resolve("flowintegrator");
        ConfigManifestTest.write(home.resolve("server/etc/server.cfg"), "LISTEN_PORT 9555\n");
        ConfigManifestTest.write(home.resolve("server/etc/outputs.cfg"), "OUTPUT syslog 192.0.2.10:514\n");
        ConfigManifestTest.write(home.resolve("server/etc/debug.log"), "noise\n");
        ConfigManifestTest.write(home.resolve("bin/nfc_svr"), "ELF");
        ConfigManifestTest.write(root.resolve("outside/passwd"), "root:x:0:0\n");
        Files.createSymbolicLink(home.resolve("server/etc/escape.cfg"), root.resolve("outside/passwd"));
        Files.createSymbolicLink(home.resolve("server/etc/linked"), root.resolve("outside"));
        Files.setPosixFilePermissions(home.resolve("server/etc/server.cfg"),
                PosixFilePermissions.fromString("rw-r-----"));
        scope = new ConfigScope(home, List.of("server/etc/**"), List.of("**/*.log"), 1000, 1024);
    }

    private ConfigStore store() throws Exception {
        return new ConfigStore(scope, CLOCK, 4096);
    }

    private static StagedFile file(String path, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new StagedFile(path, bytes, SafeFiles.sha256(bytes), null);
    }

    private String content(String path) throws IOException {
        return Files.readString(home.resolve(path));
    }

    private static void assertRefused(ThrowingCallable call, ConfigRefusal reason) {
        assertThatThrownBy(call).isInstanceOf(ConfigRefusedException.class)
                .satisfies(e -> assertThat(((ConfigRefusedException) e).reason()).isEqualTo(reason));
    }

    @Test
    void readsAConfigFileWithItsHash() throws Exception {
        ConfigFile file = store().read("server/etc/server.cfg", 100);

        assertThat(new String(file.bytes(), StandardCharsets.UTF_8)).isEqualTo("LISTEN_PORT 9555\n");
        assertThat(file.sha256()).isEqualTo(SafeFiles.sha256(file.bytes()));
        assertThat(file.mode()).isEqualTo("0640");
    }

    @Test
    void refusesEveryWayOutOfTheConfigurationFiles() throws Exception {
        ConfigStore store = store();

        assertRefused(() -> store.read("../flowintegrator/server/etc/server.cfg", 100), ConfigRefusal.OUTSIDE_ROOTS);
        assertRefused(() -> store.read("server/etc/../../bin/nfc_svr", 100), ConfigRefusal.OUTSIDE_ROOTS);
        assertRefused(() -> store.read("/etc/passwd", 100), ConfigRefusal.OUTSIDE_ROOTS);
        assertRefused(() -> store.read("server/etc/escape.cfg", 100), ConfigRefusal.OUTSIDE_ROOTS);
        assertRefused(() -> store.read("server/etc/linked/passwd", 100), ConfigRefusal.OUTSIDE_ROOTS);
        assertRefused(() -> store.read("server/etc/server.cfg\0.png", 100), ConfigRefusal.OUTSIDE_ROOTS);
        assertRefused(() -> store.read("server/etc/debug.log", 100), ConfigRefusal.OUTSIDE_ROOTS);
        assertRefused(() -> store.read("bin/nfc_svr", 100), ConfigRefusal.OUTSIDE_ROOTS);
        assertRefused(() -> store.read("server//etc/server.cfg", 100), ConfigRefusal.OUTSIDE_ROOTS);
        assertRefused(() -> store.read(".tandem/journal.jsonl", 100), ConfigRefusal.OUTSIDE_ROOTS);
        assertRefused(() -> store.read("server/etc/missing.cfg", 100), ConfigRefusal.NOT_FOUND);
        assertRefused(() -> store.read("server/etc/server.cfg", 5), ConfigRefusal.TOO_LARGE);
        Files.createDirectories(home.resolve("server/etc/dir.cfg"));
        assertRefused(() -> store.read("server/etc/dir.cfg", 100), ConfigRefusal.NOT_A_REGULAR_FILE);
    }

    @Test
    void aBadHashOrAnOversizedUploadRefusesTheWholeStageAndLeavesNothing() throws Exception {
        ConfigStore store = store();
        StagedFile good = file("server/etc/server.cfg", "LISTEN_PORT 2055\n");
        StagedFile forged = new StagedFile("server/etc/outputs.cfg", "OUTPUT evil\n".getBytes(StandardCharsets.UTF_8),
                SafeFiles.sha256("OUTPUT syslog\n".getBytes(StandardCharsets.UTF_8)), null);

        assertRefused(() -> store.stage("c1", List.of(good, forged)), ConfigRefusal.HASH_MISMATCH);
        assertRefused(() -> store.stage("c1", List.of(good, file("server/etc/big.cfg", "x".repeat(2000)))),
                ConfigRefusal.TOO_LARGE);
        assertRefused(() -> store.stage("c1", List.of(file("../escape.cfg", "x"))), ConfigRefusal.OUTSIDE_ROOTS);
        assertRefused(() -> store.stage("../c1", List.of(good)), ConfigRefusal.INVALID_REQUEST);
        assertRefused(() -> store.stage("c1", List.of(good, good)), ConfigRefusal.INVALID_REQUEST);
        assertRefused(() -> store.stage("c1", List.of(new StagedFile(good.path(), good.bytes(),
                good.expectedSha256(), "4777"))), ConfigRefusal.INVALID_REQUEST);

        Path staging = home.resolve(".tandem/staging");
        assertThat(!Files.exists(staging) || Files.list(staging).findAny().isEmpty()).isTrue();
        assertRefused(() -> store.commit("c1"), ConfigRefusal.NOT_FOUND);
        assertThat(content("server/etc/server.cfg")).isEqualTo("LISTEN_PORT 9555\n");
    }

    @Test
    void commitSwapsTheFilesKeepsModesBacksUpAndJournals() throws Exception {
        ConfigStore store = store();
        store.stage("c1", List.of(file("server/etc/server.cfg", "LISTEN_PORT 2055\n"),
                file("server/etc/sub/new.cfg", "NEW 1\n")));

        CommitResult result = store.commit("c1");

        assertThat(result.backupId()).isEqualTo("20261125T194149123Z-c1");
        assertThat(content("server/etc/server.cfg")).isEqualTo("LISTEN_PORT 2055\n");
        assertThat(content("server/etc/sub/new.cfg")).isEqualTo("NEW 1\n");
        Map<String, ManifestEntry> after = store.manifest().byPath();
        assertThat(after.get("server/etc/server.cfg").sha256()).isEqualTo(result.files().get(0).sha256After());
        assertThat(after.get("server/etc/sub/new.cfg").sha256()).isEqualTo(result.files().get(1).sha256After());
        assertThat(after.get("server/etc/server.cfg").mode()).isEqualTo("0640");
        assertThat(after.get("server/etc/sub/new.cfg").mode()).isEqualTo("0644");
        assertThat(after).doesNotContainKey(".tandem/journal.jsonl");

        BackupInfo backup = store.backups().get(0);
        assertThat(backup.id()).isEqualTo(result.backupId());
        assertThat(backup.files()).containsExactly(
                new BackupInfo.FileBefore("server/etc/server.cfg",
                        SafeFiles.sha256("LISTEN_PORT 9555\n".getBytes(StandardCharsets.UTF_8))),
                new BackupInfo.FileBefore("server/etc/sub/new.cfg", null));
        JsonNode line = JsonMapper.builder().build().readTree(Files.readAllLines(home.resolve(".tandem/journal.jsonl"))
                .get(0));
        assertThat(line.path("result").asString()).isEqualTo("APPLIED");
        assertThat(line.path("changeId").asString()).isEqualTo("c1");
        assertThat(line.path("files").get(1).path("sha256Before").isNull()).isTrue();
        assertThat(Files.exists(home.resolve(".tandem/staging/c1"))).isFalse();
    }

    @Test
    void aFailureMidwayRestoresEverythingAlreadySwapped() throws Exception {
        ConfigStore failing = new ConfigStore(scope, CLOCK, 4096, (index, path) -> {
            if (index == 2) {
                throw new IOException("disk full (injected)");
            }
        });
        Map<String, ManifestEntry> before = failing.manifest().byPath();
        failing.stage("c2", List.of(file("server/etc/server.cfg", "LISTEN_PORT 2055\n"),
                file("server/etc/added.cfg", "ADDED\n"), file("server/etc/outputs.cfg", "OUTPUT none\n")));

        assertRefused(() -> failing.commit("c2"), ConfigRefusal.APPLY_FAILED);

        Map<String, ManifestEntry> after = failing.manifest().byPath();
        assertThat(after.keySet()).isEqualTo(before.keySet());
        assertThat(after.values().stream().collect(Collectors.toMap(ManifestEntry::path, ManifestEntry::sha256)))
                .isEqualTo(before.values().stream().collect(Collectors.toMap(ManifestEntry::path,
                        ManifestEntry::sha256)));
        assertThat(after.get("server/etc/server.cfg").mode()).isEqualTo("0640");
        assertThat(Files.readString(home.resolve(".tandem/journal.jsonl"))).contains("\"result\":\"APPLY_FAILED\"")
                .contains("disk full (injected)");
    }

    @Test
    void rollbackRestoresTheBackedUpStateAndIsItselfBackedUp() throws Exception {
        ConfigStore store = store();
        Map<String, ManifestEntry> original = store.manifest().byPath();
        store.stage("c3", List.of(file("server/etc/server.cfg", "LISTEN_PORT 2055\n"),
                file("server/etc/added.cfg", "ADDED\n")));
        CommitResult commit = store.commit("c3");

        CommitResult rollback = store.rollback(commit.backupId());

        Map<String, ManifestEntry> restored = store.manifest().byPath();
        assertThat(restored.keySet()).isEqualTo(original.keySet());
        assertThat(restored.get("server/etc/server.cfg").sha256())
                .isEqualTo(original.get("server/etc/server.cfg").sha256());
        assertThat(restored.get("server/etc/server.cfg").mode()).isEqualTo("0640");
        assertThat(home.resolve("server/etc/added.cfg")).doesNotExist();
        assertThat(store.backups()).extracting(BackupInfo::id)
                .containsExactlyInAnyOrder(commit.backupId(), rollback.backupId());
        assertThat(Files.readAllLines(home.resolve(".tandem/journal.jsonl"))).hasSize(2);

        store.rollback(rollback.backupId()); // and forward again
        assertThat(content("server/etc/added.cfg")).isEqualTo("ADDED\n");
        assertRefused(() -> store.rollback("../../etc"), ConfigRefusal.INVALID_REQUEST);
        assertRefused(() -> store.rollback("nope"), ConfigRefusal.NOT_FOUND);
    }

    @Test
    void aStagedCopyTamperedWithBeforeCommitIsRefused() throws Exception {
        ConfigStore store = store();
        store.stage("c4", List.of(file("server/etc/server.cfg", "LISTEN_PORT 2055\n")));
        Files.writeString(home.resolve(".tandem/staging/c4/files/server/etc/server.cfg"), "LISTEN_PORT 6666\n");

        assertRefused(() -> store.commit("c4"), ConfigRefusal.HASH_MISMATCH);
        assertThat(content("server/etc/server.cfg")).isEqualTo("LISTEN_PORT 9555\n");
    }

    @Test
    void aStageTornByACrashIsRefusedAtCommitAndChangesNothing() throws Exception {
        // the stage is not fsynced: after a crash its files or change.json may be short, empty or gone
        ConfigStore store = store();
        store.stage("c6", List.of(file("server/etc/server.cfg", "LISTEN_PORT 2055\n")));
        store.stage("c7", List.of(file("server/etc/server.cfg", "LISTEN_PORT 2056\n")));
        store.stage("c8", List.of(file("server/etc/server.cfg", "LISTEN_PORT 2057\n")));
        Files.write(home.resolve(".tandem/staging/c6/files/server/etc/server.cfg"), new byte[0]);
        Path change = home.resolve(".tandem/staging/c7/change.json");
        Files.write(change, java.util.Arrays.copyOf(Files.readAllBytes(change), 20));
        SafeFiles.deleteTree(home.resolve(".tandem/staging/c8"));

        assertRefused(() -> store.commit("c6"), ConfigRefusal.HASH_MISMATCH);
        assertRefused(() -> store.commit("c7"), ConfigRefusal.IO_ERROR);
        assertRefused(() -> store.commit("c8"), ConfigRefusal.NOT_FOUND);
        assertThat(content("server/etc/server.cfg")).isEqualTo("LISTEN_PORT 9555\n");
        assertThat(store.backups()).isEmpty();
    }

    @Test
    void aTargetDirectoryReplacedByASymlinkAfterStagingIsRefusedAtCommit() throws Exception {
        ConfigStore store = store();
        ConfigManifestTest.write(home.resolve("server/etc/sub/a.cfg"), "A\n");
        store.stage("c5", List.of(file("server/etc/sub/a.cfg", "B\n")));
        Files.move(home.resolve("server/etc/sub"), root.resolve("moved"));
        Files.createSymbolicLink(home.resolve("server/etc/sub"), root.resolve("outside"));

        assertRefused(() -> store.commit("c5"), ConfigRefusal.OUTSIDE_ROOTS);
        assertThat(root.resolve("outside/a.cfg")).doesNotExist();
    }
}
