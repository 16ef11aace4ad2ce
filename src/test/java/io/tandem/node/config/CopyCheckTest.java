package io.tandem.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CopyCheckTest {

    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    private static ConfigManifest manifest(ManifestEntry... entries) {
        return new ConfigManifest(List.of(entries), List.of(), false);
    }

    private static ManifestEntry entry(String path, String sha) {
        return new ManifestEntry(path, 10, "0644", Instant.EPOCH, sha, "root", "root");
    }

    private static CommitResult commit(CommitResult.FileChange... files) {
        return new CommitResult("c1", "b1", List.of(files));
    }

    @Test
    void bothManifestsAreReadAtOnce() throws Exception {
        CountDownLatch bothStarted = new CountDownLatch(2);
        CopyCheck.ManifestRead<Exception> read = () -> {
            bothStarted.countDown();
            // each read waits for the other: read one after the other, they would never both return
            if (!bothStarted.await(30, TimeUnit.SECONDS)) {
                throw new IOException("the other manifest was not being read meanwhile");
            }
            return manifest(entry("x.cfg", A));
        };

        CopyCheck.Manifests both = CopyCheck.both(read, read);

        assertThat(both.first().files()).hasSize(1);
        assertThat(both.second().files()).hasSize(1);
    }

    @Test
    void aFailingReadIsThrownAsTheReaderThrewIt() {
        CopyCheck.ManifestRead<IOException> fine = () -> manifest();
        CopyCheck.ManifestRead<IOException> refused = () -> {
            throw new ConfigRefusedException(ConfigRefusal.IO_ERROR, null, "cannot walk the NFO home");
        };
        CopyCheck.ManifestRead<IOException> unreachable = () -> {
            throw new IOException("node-b unreachable");
        };

        assertThatThrownBy(() -> CopyCheck.both(fine, refused)).isInstanceOf(ConfigRefusedException.class);
        assertThatThrownBy(() -> CopyCheck.both(fine, unreachable)).isInstanceOf(IOException.class)
                .hasMessage("node-b unreachable");
        assertThatThrownBy(() -> CopyCheck.both(unreachable, fine)).isInstanceOf(IOException.class);
    }

    @Test
    void aCopyLandedWhenTheCommitAndTheTargetBothHoldTheStagedHashes() {
        Map<String, String> staged = Map.of("x.cfg", A);

        assertThat(CopyCheck.notLanded(staged, commit(new CommitResult.FileChange("x.cfg", B, A)),
                manifest(entry("x.cfg", A), entry("other.cfg", B)))).isEmpty();
    }

    @Test
    void aTargetChangedAgainMissingOrNotCommittedIsNamed() {
        Map<String, String> staged = Map.of("changed.cfg", A, "gone.cfg", A, "uncommitted.cfg", A, "large.cfg", A);
        CommitResult result = commit(new CommitResult.FileChange("changed.cfg", null, A),
                new CommitResult.FileChange("gone.cfg", null, A), new CommitResult.FileChange("large.cfg", null, A));

        assertThat(CopyCheck.notLanded(staged, result, manifest(entry("changed.cfg", B), entry("uncommitted.cfg", A),
                entry("large.cfg", null)))).containsExactly("changed.cfg", "gone.cfg", "large.cfg", "uncommitted.cfg");
    }
}
