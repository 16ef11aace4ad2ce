package io.tandem.node.config;

import java.time.Instant;

/**
 * One configuration file.
 *
 * @param path relative to the NFO home, {@code /}-separated
 * @param mode POSIX permission bits in octal, e.g. {@code 0640}
 * @param sha256 lower-case hex, or null when the file is larger than the scope's hashing limit
 * @param owner, group the file's owner and group names (NFO may run as a non-root user that must keep reading it)
 */
public record ManifestEntry(String path, long size, String mode, Instant mtime, String sha256, String owner,
        String group) {

    /** POSIX permission bits (the file type and set-id bits dropped) in the manifest's notation, e.g. {@code 0640}. */
    public static String mode(int permissionBits) {
        return String.format("%04o", permissionBits & 0777);
    }

    public boolean hashed() {
        return sha256 != null;
    }
}
