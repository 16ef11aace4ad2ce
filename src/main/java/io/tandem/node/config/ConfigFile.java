package io.tandem.node.config;

import java.time.Instant;

/** A configuration file's content as read by {@link ConfigStore#read}. */
public record ConfigFile(String path, byte[] bytes, String sha256, String mode, Instant mtime) {
}
