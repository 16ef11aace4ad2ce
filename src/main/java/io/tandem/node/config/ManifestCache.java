package io.tandem.node.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SHA-256 of files that did not change since they were last hashed, so a manifest re-hashes only what changed
 * (the agent keeps one for its life). A file counts as unchanged only while its path, size, mtime, ctime and inode
 * (device and inode number) are all what they were when it was hashed. A hash is never stale, because it is only
 * kept when no write can hide behind those stamps:
 * <ul>
 * <li>the stamps are read before and after hashing and must agree (nothing wrote while it was read);</li>
 * <li>the file's ctime and mtime must be older than {@link #SETTLED} when hashing starts: the kernel's coarse
 *     timestamps could give a write right after the hash the same ctime ("racy git"), never one that much later;
 *     a ctime no one can set (every write or {@code touch} moves it to now) then tells any later change;</li>
 * <li>a kept hash is recomputed once it is {@link #MAX_AGE} old, and whenever the file system offers no ctime or
 *     inode (no cache then).</li>
 * </ul>
 */
public final class ManifestCache {

    /** Longer than any file system's timestamp granularity (FAT's 2 s) and a little clock skew on network mounts. */
    static final Duration SETTLED = Duration.ofSeconds(3);
    static final Duration MAX_AGE = Duration.ofMinutes(10);
    private static final int MAX_ENTRIES = 100_000;

    private record Stamp(long size, FileTime mtime, FileTime ctime, Object fileKey) {
    }

    private record Hashed(Stamp stamp, String sha256, Instant at) {
    }

    private final Clock clock;
    private final Map<Path, Hashed> hashes = new ConcurrentHashMap<>();
    private final AtomicLong hits = new AtomicLong();

    public ManifestCache(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The file's SHA-256, from the cache when its stamps say it has not changed, else hashed now. */
    String sha256(Path file) throws IOException {
        Path key = file.toAbsolutePath();
        Instant now = clock.instant();
        Stamp before = stamp(file);
        Hashed known = hashes.get(key);
        if (before != null && known != null && known.stamp().equals(before) && known.at().plus(MAX_AGE).isAfter(now)) {
            hits.incrementAndGet();
            return known.sha256();
        }
        String sha256 = SafeFiles.sha256(file);
        Stamp after = stamp(file);
        if (before != null && before.equals(after) && settled(before, now)) {
            if (hashes.size() >= MAX_ENTRIES) {
                hashes.clear();
            }
            hashes.put(key, new Hashed(before, sha256, now));
        } else {
            hashes.remove(key);
        }
        return sha256;
    }

    /** How many hashes were answered from the cache (for tests and the bench). */
    public long hits() {
        return hits.get();
    }

    private static boolean settled(Stamp stamp, Instant now) {
        Instant limit = now.minus(SETTLED);
        return stamp.ctime().toInstant().isBefore(limit) && stamp.mtime().toInstant().isBefore(limit);
    }

    /** @return null when the file system does not give all the stamps: such a file is hashed every time */
    private static Stamp stamp(Path file) throws IOException {
        Map<String, Object> unix;
        try {
            unix = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,fileKey", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
        Object size = unix.get("size");
        Object mtime = unix.get("lastModifiedTime");
        Object ctime = unix.get("ctime");
        Object fileKey = unix.get("fileKey");
        if (!(size instanceof Long bytes) || !(mtime instanceof FileTime m) || !(ctime instanceof FileTime c) || fileKey == null) {
            return null;
        }
        return new Stamp(bytes, m, c, fileKey);
    }
}
