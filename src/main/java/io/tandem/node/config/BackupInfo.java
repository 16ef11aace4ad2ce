package io.tandem.node.config;

import java.time.Instant;
import java.util.List;

/**
 * A backup taken before a commit or rollback: what the files were just before.
 *
 * @param id the directory name under {@code .tandem/backups}, {@code <UTC timestamp>-<changeId>}
 * @param files each path with its SHA-256 before the change, or null when the file did not exist
 */
public record BackupInfo(String id, String changeId, Instant createdAt, List<FileBefore> files) {

    public record FileBefore(String path, String sha256) {
        public boolean existed() {
            return sha256 != null;
        }
    }

    public BackupInfo {
        files = List.copyOf(files);
    }
}
