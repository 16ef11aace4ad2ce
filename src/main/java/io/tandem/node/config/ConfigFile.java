package io.tandem.node.config;

import java.time.Instant;
import java.util.Set;

/** A configuration file's content as read by {@link ConfigStore#read} (or over SFTP by the agentless adapter). */
public record ConfigFile(String path, byte[] bytes, String sha256, String mode, Instant mtime) {

    /** The file as read, hashed here, with POSIX permission bits (e.g. {@code 0640}) in the store's notation. */
    public static ConfigFile of(String path, byte[] bytes, int permissionBits, Instant mtime) {
        return new ConfigFile(path, bytes.clone(), SafeFiles.sha256(bytes), ManifestEntry.mode(permissionBits),
                mtime);
    }

    static ConfigFile of(String path, byte[] bytes, Set<java.nio.file.attribute.PosixFilePermission> permissions,
            Instant mtime) {
        return new ConfigFile(path, bytes, SafeFiles.sha256(bytes), SafeFiles.mode(permissions), mtime);
    }
}
