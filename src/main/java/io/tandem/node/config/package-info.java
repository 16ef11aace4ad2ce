/**
 * NFO's configuration files on one node: the manifest (every file under the configured globs with its SHA-256),
 * the diff of two manifests, and a store that reads, stages and atomically swaps files with backups, rollback and
 * an append-only journal. Plain Java, local file system only; the agent exposes it, the SSH adapter mirrors it.
 */
package io.tandem.node.config;
