package io.tandem.node.config;

import java.util.List;

/**
 * A change that was applied in full.
 *
 * @param backupId the backup of the previous state; {@link ConfigStore#rollback(String)} restores it
 * @param files each path with its hash before (null: did not exist) and after (null: deleted)
 */
public record CommitResult(String changeId, String backupId, List<FileChange> files) {

    public record FileChange(String path, String sha256Before, String sha256After) {
    }

    public CommitResult {
        files = List.copyOf(files);
    }
}
