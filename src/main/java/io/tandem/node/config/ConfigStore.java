package io.tandem.node.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and changes the configuration files of the local NFO home, never anything else, and never by halves.
 *
 * <p>Layout, all under {@code <home>/.tandem/} (mode 0700; on the same file system as the home unless a
 * configuration directory is itself a mount point, which is why the atomic step uses a temp file in the target's
 * own directory, not a rename from staging):
 * <pre>
 *   staging/&lt;changeId&gt;/change.json + files/&lt;path&gt;     uploaded, hash-verified, waiting for commit
 *   backups/&lt;yyyyMMdd'T'HHmmssSSS'Z'&gt;-&lt;changeId&gt;/backup.json + files/&lt;path&gt;   the state before a change
 *   journal.jsonl                                           one JSON line per commit or rollback, append-only
 *   lock                                                    one commit or rollback at a time, across processes
 * </pre>
 * Symbolic links are never followed: a path with a link anywhere on it is refused as {@code OUTSIDE_ROOTS}.
 */
public final class ConfigStore {

    /** Test seam: runs before each file is swapped, so a test can fail a commit midway (tests run as root). */
    interface SwapHook {
        void beforeSwap(int index, String path) throws IOException;
    }

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DEFAULT_MODE = "0644";

    private final ConfigScope scope;
    private final Path home;
    private final ConfigScope.Matcher matcher;
    private final Clock clock;
    private final SwapHook hook;
    private final long maxStageBytes;

    /**
     * @param maxStageBytes the most one change may upload in total (each file is also limited by the scope's
     *        {@code maxHashBytes})
     */
    public ConfigStore(ConfigScope scope, Clock clock, long maxStageBytes) throws ConfigRefusedException {
        this(scope, clock, maxStageBytes, (index, path) -> { });
    }

    ConfigStore(ConfigScope scope, Clock clock, long maxStageBytes, SwapHook hook) throws ConfigRefusedException {
        this.scope = Objects.requireNonNull(scope, "scope");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.hook = Objects.requireNonNull(hook, "hook");
        this.maxStageBytes = maxStageBytes;
        try {
            this.home = scope.home().toRealPath();
        } catch (IOException e) {
            throw new ConfigRefusedException(ConfigRefusal.NOT_FOUND, scope.home().toString(),
                    "the NFO home does not exist", e);
        }
        this.matcher = scope.matcher();
    }

    public ConfigManifest manifest() throws ConfigRefusedException {
        return manifest(null);
    }

    /** @param cache hashes of files unchanged since an earlier manifest (null: hash every file) */
    public ConfigManifest manifest(ManifestCache cache) throws ConfigRefusedException {
        return ConfigManifest.scan(new ConfigScope(home, scope.includes(), scope.excludes(), scope.maxFiles(),
                scope.maxHashBytes()), cache);
    }

    public ConfigFile read(String relativePath, long maxBytes) throws ConfigRefusedException {
        Path file = SafeFiles.confine(home, matcher, relativePath);
        try {
            PosixFileAttributes attrs = SafeFiles.attributes(file);
            if (attrs.size() > maxBytes) {
                throw new ConfigRefusedException(ConfigRefusal.TOO_LARGE, relativePath,
                        attrs.size() + " bytes, limit " + maxBytes);
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
            }
            if (bytes.length > maxBytes) {
                throw new ConfigRefusedException(ConfigRefusal.TOO_LARGE, relativePath, "grew beyond " + maxBytes);
            }
            // The components were checked before opening; re-check that nothing was swapped for a link meanwhile.
            if (!file.toRealPath().startsWith(home)) {
                throw new ConfigRefusedException(ConfigRefusal.OUTSIDE_ROOTS, relativePath, "left the home");
            }
            return ConfigFile.of(relativePath, bytes, attrs.permissions(), attrs.lastModifiedTime().toInstant());
        } catch (NoSuchFileException e) {
            throw new ConfigRefusedException(ConfigRefusal.NOT_FOUND, relativePath, "no such file", e);
        } catch (IOException e) {
            throw new ConfigRefusedException(ConfigRefusal.IO_ERROR, relativePath, e.getMessage(), e);
        }
    }

    /**
     * Verifies every file (path, size, SHA-256, mode) before writing any, then writes them into a scratch
     * directory that is renamed into place: a refused or failed stage leaves nothing behind.
     *
     * @return the staged paths, sorted
     */
    public List<String> stage(String changeId, List<StagedFile> files) throws ConfigRefusedException {
        List<StagedEntry> entries = verifyStage(scope, changeId, files, maxStageBytes,
                SafeFiles.localInspector(home));
        return stageInto(changeId, partial -> {
            for (StagedFile file : files) {
                SafeFiles.write(partial.resolve("files").resolve(file.path()), file.bytes());
            }
            return entries;
        });
    }

    /**
     * Stages a change whose files arrive as a stream (the agent's upload): each file's bytes go straight to a
     * file in this change's scratch directory, counted against the limits and hashed as they are written, so a
     * large change never sits in memory. Verification runs once everything arrived; any refusal or failure,
     * including one thrown by {@code upload}, leaves nothing behind.
     *
     * @return the staged paths, sorted
     */
    public List<String> stage(String changeId, Upload upload) throws ConfigRefusedException {
        requireId(changeId, "change id");
        return stageInto(changeId, partial -> {
            Path uploads = partial.resolve("uploads");
            Files.createDirectory(uploads);
            Receiver receiver = new Receiver(uploads, scope.maxHashBytes(), maxStageBytes);
            List<Received> received;
            try {
                received = upload.read(receiver);
            } catch (Receiver.TooLarge e) {
                throw new ConfigRefusedException(ConfigRefusal.TOO_LARGE, null, e.getMessage(), e);
            } finally {
                receiver.closeAll();
            }
            List<StagedEntry> entries = verifyArrivals(scope, changeId, received.stream().map(Received::arrival).toList(),
                    maxStageBytes, SafeFiles.localInspector(home));
            for (Received file : received) {
                Path target = partial.resolve("files").resolve(file.path());
                Files.createDirectories(target.getParent());
                Files.move(file.content().file(), target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            SafeFiles.deleteTree(uploads);
            return entries;
        });
    }

    /** Writes the files of a change into {@code partial}; returns their entries for {@code change.json}. */
    private interface PartialWriter {
        List<StagedEntry> write(Path partial) throws IOException, ConfigRefusedException;
    }

    private List<String> stageInto(String changeId, PartialWriter writer) throws ConfigRefusedException {
        Path staging = stateDir().resolve("staging");
        Path target = staging.resolve(changeId);
        if (SafeFiles.exists(target)) {
            throw new ConfigRefusedException(ConfigRefusal.ALREADY_EXISTS, null, "change " + changeId + " is staged");
        }
        Path partial = staging.resolve("." + changeId + ".partial");
        try {
            Files.createDirectories(staging);
            SafeFiles.createDirectory(partial, "a stage of " + changeId);
        } catch (IOException e) {
            throw new ConfigRefusedException(ConfigRefusal.IO_ERROR, null, "cannot create the staging area", e);
        }
        try {
            List<StagedEntry> entries = new ArrayList<>(writer.write(partial));
            entries.sort(Comparator.comparing(StagedEntry::path));
            // No fsync here: a stage is scratch. A crash may lose or tear it, and then commit refuses it (change.json
            // unreadable, or a file's hash not the one verified on arrival); the commit copies each file to disk with
            // an fsync of its own before the swap, so a commit's durability never rests on the stage's.
            SafeFiles.write(partial.resolve("change.json"), JSON.writeValueAsBytes(new StagedChange(changeId, entries)));
            Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return entries.stream().map(StagedEntry::path).toList();
        } catch (ConfigRefusedException e) {
            SafeFiles.deleteTree(partial);
            throw e;
        } catch (IOException | JacksonException e) {
            SafeFiles.deleteTree(partial);
            throw new ConfigRefusedException(ConfigRefusal.IO_ERROR, null, "staging failed: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            SafeFiles.deleteTree(partial);
            throw e;
        }
    }

    /**
     * The checks every transport makes before it stages anything: a valid change id, at least one file, each path
     * confined ({@link ConfigScope#confine} with the transport's {@code inspector}) and listed once, a valid mode,
     * a well-formed expected hash that the bytes really have, and the scope's size limits.
     *
     * @return the verified entries in the order given
     */
    public static <E extends Exception> List<StagedEntry> verifyStage(ConfigScope scope, String changeId,
            List<StagedFile> files, long maxStageBytes, ConfigScope.Inspector<E> inspector)
            throws ConfigRefusedException, E {
        List<Arrival> arrivals = new ArrayList<>();
        for (StagedFile file : files == null ? List.<StagedFile>of() : files) {
            byte[] bytes = file.bytes();
            arrivals.add(bytes == null ? new Arrival(file.path(), file.expectedSha256(), file.mode(), -1, null)
                    : new Arrival(file.path(), file.expectedSha256(), file.mode(), bytes.length, SafeFiles.sha256(bytes)));
        }
        return verifyArrivals(scope, changeId, arrivals, maxStageBytes, inspector);
    }

    /** What verification needs of one file: what the sender declared and what arrived ({@code size} -1: no bytes). */
    private record Arrival(String path, String expectedSha256, String mode, long size, String sha256) {
    }

    private static <E extends Exception> List<StagedEntry> verifyArrivals(ConfigScope scope, String changeId,
            List<Arrival> files, long maxStageBytes, ConfigScope.Inspector<E> inspector)
            throws ConfigRefusedException, E {
        requireId(changeId, "change id");
        if (files.isEmpty()) {
            throw new ConfigRefusedException(ConfigRefusal.INVALID_REQUEST, null, "a change needs at least one file");
        }
        Set<String> seen = new HashSet<>();
        long total = 0;
        List<StagedEntry> entries = new ArrayList<>();
        for (Arrival file : files) {
            if (file.path() == null) {
                throw new ConfigRefusedException(ConfigRefusal.INVALID_REQUEST, null, "a file has no 'path'");
            }
            scope.confine(file.path(), inspector);
            if (!seen.add(file.path())) {
                throw new ConfigRefusedException(ConfigRefusal.INVALID_REQUEST, file.path(), "listed twice");
            }
            if (file.mode() != null && !SafeFiles.MODE.matcher(file.mode()).matches()) {
                throw new ConfigRefusedException(ConfigRefusal.INVALID_REQUEST, file.path(), "mode is not octal");
            }
            if (file.expectedSha256() == null || !SafeFiles.SHA256.matcher(file.expectedSha256()).matches()) {
                throw new ConfigRefusedException(ConfigRefusal.INVALID_REQUEST, file.path(),
                        "expected SHA-256 must be 64 lower-case hex digits");
            }
            if (file.size() < 0) {
                throw new ConfigRefusedException(ConfigRefusal.INVALID_REQUEST, file.path(),
                        "'bytes' (the file's content, base64) is missing");
            }
            total += file.size();
            if (file.size() > scope.maxHashBytes() || total > maxStageBytes) {
                throw new ConfigRefusedException(ConfigRefusal.TOO_LARGE, file.path(), file.size()
                        + " bytes; limits are " + scope.maxHashBytes() + " per file, " + maxStageBytes + " per change");
            }
            if (!file.sha256().equals(file.expectedSha256())) {
                throw new ConfigRefusedException(ConfigRefusal.HASH_MISMATCH, file.path(),
                        "expected " + file.expectedSha256() + ", received " + file.sha256());
            }
            entries.add(new StagedEntry(file.path(), file.sha256(), file.size(), file.mode()));
        }
        return entries;
    }

    /** Reads a change's files from a stream, writing each file's bytes through {@link Receiver#open()}. */
    @FunctionalInterface
    public interface Upload {
        List<Received> read(Receiver receiver) throws IOException, ConfigRefusedException;
    }

    /**
     * One file as it arrived: what the sender declared, and its bytes on disk, counted and hashed.
     *
     * @param content null when the sender sent no bytes (refused as INVALID_REQUEST)
     */
    public record Received(String path, String expectedSha256, String mode, Content content) {

        Arrival arrival() {
            return content == null ? new Arrival(path, expectedSha256, mode, -1, null)
                    : new Arrival(path, expectedSha256, mode, content.size(), content.sha256());
        }
    }

    /** Gives each arriving file a scratch file in the change's staging area and holds the limits across files. */
    public static final class Receiver {

        /** Raised while writing, before the limit is passed by more than one buffer. */
        static final class TooLarge extends IOException {
            @java.io.Serial
            private static final long serialVersionUID = 1L;

            TooLarge(String message) {
                super(message);
            }
        }

        private final Path dir;
        private final long maxFileBytes;
        private final long maxTotalBytes;
        private final List<Content> opened = new ArrayList<>();
        private long total;

        private Receiver(Path dir, long maxFileBytes, long maxTotalBytes) {
            this.dir = dir;
            this.maxFileBytes = maxFileBytes;
            this.maxTotalBytes = maxTotalBytes;
        }

        /** A new scratch file to write one file's bytes into; close it when the file's bytes are done. */
        public Content open() throws IOException {
            Content content = new Content(this, dir.resolve(Integer.toString(opened.size())));
            opened.add(content);
            return content;
        }

        /** Closes what the reader left open (it failed midway), so no descriptor outlives the request. */
        private void closeAll() throws IOException {
            for (Content content : opened) {
                content.close();
            }
        }

        private void count(long n, long fileSize) throws TooLarge {
            total += n;
            if (fileSize > maxFileBytes || total > maxTotalBytes) {
                throw new TooLarge("more than " + (fileSize > maxFileBytes ? maxFileBytes + " bytes in one file"
                        : maxTotalBytes + " bytes in one change") + "; limits are " + maxFileBytes + " per file, "
                        + maxTotalBytes + " per change");
            }
        }
    }

    /** One arriving file's bytes: written to the staging area, counted and hashed on the way (no fsync: see stageInto). */
    public static final class Content extends java.io.OutputStream {
        private final Receiver receiver;
        private final Path file;
        private final FileChannel channel;
        private final java.io.OutputStream out;
        private final java.security.MessageDigest digest;
        private long size;
        private String sha256;

        private Content(Receiver receiver, Path file) throws IOException {
            this.receiver = receiver;
            this.file = file;
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            this.out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 64 * 1024);
            this.digest = SafeFiles.digest();
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            size += length;
            receiver.count(length, size);
            digest.update(bytes, offset, length);
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            if (sha256 != null) {
                return;
            }
            try (channel) {
                out.flush();
            }
            sha256 = java.util.HexFormat.of().formatHex(digest.digest());
        }

        long size() {
            return size;
        }

        String sha256() {
            if (sha256 == null) {
                throw new IllegalStateException("content of " + file + " read before it was closed");
            }
            return sha256;
        }

        Path file() {
            return file;
        }
    }

    /**
     * Backs up the current version of every staged file, then swaps them in one by one. If a swap fails, the
     * files already swapped are restored from the backup before the refusal is thrown: the node ends with the
     * old configuration or the new one, never a mix (RESTORE_INCOMPLETE says when even that failed).
     */
    public synchronized CommitResult commit(String changeId) throws ConfigRefusedException {
        requireId(changeId, "change id");
        Path stageDir = stateDir().resolve("staging").resolve(changeId);
        StagedChange change = readJson(stageDir.resolve("change.json"), StagedChange.class, "staged change "
                + changeId);
        List<Target> targets = new ArrayList<>();
        for (StagedEntry entry : change.files()) {
            Path source = stageDir.resolve("files").resolve(entry.path());
            verifyHash(source, entry.sha256(), entry.path(), "staged");
            targets.add(new Target(entry.path(), SafeFiles.confine(home, matcher, entry.path()), source,
                    entry.sha256(), entry.mode(), null, null));
        }
        CommitResult result = apply(changeId, "commit", targets);
        SafeFiles.deleteTree(stageDir);
        return result;
    }

    /** Restores exactly the state a backup recorded (deleting files that did not exist), itself backed up first. */
    public synchronized CommitResult rollback(String backupId) throws ConfigRefusedException {
        requireId(backupId, "backup id");
        Path backupDir = stateDir().resolve("backups").resolve(backupId);
        if (!Files.isDirectory(backupDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new ConfigRefusedException(ConfigRefusal.NOT_FOUND, null, "no backup " + backupId);
        }
        Backup backup = readJson(backupDir.resolve("backup.json"), Backup.class, "backup " + backupId);
        List<Target> targets = new ArrayList<>();
        for (BackupEntry entry : backup.entries()) {
            Path resolved = SafeFiles.confine(home, matcher, entry.path());
            if (entry.sha256() == null) {
                targets.add(new Target(entry.path(), resolved, null, null, null, null, null));
            } else {
                Path source = backupDir.resolve("files").resolve(entry.path());
                verifyHash(source, entry.sha256(), entry.path(), "backed-up");
                targets.add(new Target(entry.path(), resolved, source, entry.sha256(), entry.mode(), entry.owner(),
                        entry.group()));
            }
        }
        return apply("rollback-" + backup.changeId(), "rollback of " + backupId, targets);
    }

    /** The backups, newest first. */
    public List<BackupInfo> backups() throws ConfigRefusedException {
        Path dir = stateDir().resolve("backups");
        List<BackupInfo> list = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return list;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (!ID.matcher(entry.getFileName().toString()).matches()
                        || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Backup backup = readJson(entry.resolve("backup.json"), Backup.class, "backup " + entry.getFileName());
                list.add(backup.info());
            }
        } catch (IOException e) {
            throw new ConfigRefusedException(ConfigRefusal.IO_ERROR, null, "cannot list backups", e);
        }
        list.sort(Comparator.comparing(BackupInfo::id).reversed());
        return list;
    }

    /**
     * Removes the backups beyond the newest {@code keep} (retention), under the store lock so no commit or rollback
     * reads one meanwhile. Only directories named like a backup id are considered; links are removed, never followed.
     *
     * @return the ids removed, newest first
     */
    public synchronized List<String> pruneBackups(int keep) throws ConfigRefusedException {
        List<String> doomed = beyondRetention(backups(), keep);
        if (doomed.isEmpty()) {
            return doomed;
        }
        try (FileChannel lockFile = openLock(); FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new ConfigRefusedException(ConfigRefusal.BUSY, null, "a commit or rollback is running");
            }
            Path backups = stateDir().resolve(BACKUPS_DIR);
            for (String id : doomed) {
                Path dir = backups.resolve(id);
                SafeFiles.deleteTree(dir);
                if (SafeFiles.exists(dir)) {
                    throw new ConfigRefusedException(ConfigRefusal.IO_ERROR, null, "cannot remove backup " + id);
                }
            }
            SafeFiles.fsyncDirectory(backups);
            return doomed;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw new ConfigRefusedException(ConfigRefusal.BUSY, null, "a commit or rollback is running", e);
        } catch (IOException e) {
            throw new ConfigRefusedException(ConfigRefusal.IO_ERROR, null, "cannot take the store lock", e);
        }
    }

    /**
     * The retention rule every transport applies: of the backups listed newest first, the ids past the newest
     * {@code keep}. At least one is always kept, as Roll back restores the newest.
     */
    public static List<String> beyondRetention(List<BackupInfo> newestFirst, int keep) throws ConfigRefusedException {
        if (keep < 1) {
            throw new ConfigRefusedException(ConfigRefusal.INVALID_REQUEST, null,
                    "keep must be at least 1: Roll back needs the newest backup");
        }
        List<String> doomed = new ArrayList<>();
        for (BackupInfo backup : newestFirst.stream().skip(keep).toList()) {
            requireId(backup.id(), "backup id");
            doomed.add(backup.id());
        }
        return doomed;
    }

    private CommitResult apply(String changeId, String action, List<Target> targets) throws ConfigRefusedException {
        try (FileChannel lockFile = openLock(); FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new ConfigRefusedException(ConfigRefusal.BUSY, null, "another commit or rollback is running");
            }
            Instant now = clock.instant();
            String backupId = backupId(now, changeId);
            Path backupDir = backUp(backupId, changeId, now, targets);
            List<CommitResult.FileChange> changes = new ArrayList<>();
            for (Target target : targets) {
                changes.add(new CommitResult.FileChange(target.path(), before(backupDir, target.path()),
                        target.sha256()));
            }
            int index = 0;
            try {
                for (; index < targets.size(); index++) {
                    hook.beforeSwap(index, targets.get(index).path());
                    swap(targets.get(index), backupDir);
                }
            } catch (IOException | RuntimeException e) {
                String restoreError = restore(backupDir, targets.subList(0, Math.min(index + 1, targets.size())));
                ConfigRefusal reason = restoreError == null ? ConfigRefusal.APPLY_FAILED
                        : ConfigRefusal.RESTORE_INCOMPLETE;
                String message = "swapping " + targets.get(index).path() + " failed (" + e.getMessage() + "); "
                        + (restoreError == null ? "the files already swapped were restored from backup " + backupId
                                : "restoring from backup " + backupId + " failed too: " + restoreError);
                journal(now, action, changeId, backupId, changes, reason.name(), message);
                throw new ConfigRefusedException(reason, targets.get(index).path(), message, e);
            }
            journal(now, action, changeId, backupId, changes, "APPLIED", null);
            return new CommitResult(changeId, backupId, changes);
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // Another ConfigStore on the same home in this JVM holds the lock.
            throw new ConfigRefusedException(ConfigRefusal.BUSY, null, "another commit or rollback is running", e);
        } catch (IOException e) {
            throw new ConfigRefusedException(ConfigRefusal.IO_ERROR, null, "cannot take the store lock", e);
        }
    }

    private Path backUp(String backupId, String changeId, Instant now, List<Target> targets)
            throws ConfigRefusedException {
        Path backups = stateDir().resolve("backups");
        Path dir = backups.resolve(backupId);
        try {
            Files.createDirectories(backups);
            SafeFiles.createDirectory(dir, "backup " + backupId);
        } catch (IOException e) {
            throw new ConfigRefusedException(ConfigRefusal.IO_ERROR, null, "cannot create the backup", e);
        }
        try {
            List<BackupEntry> entries = new ArrayList<>();
            for (Target target : targets) {
                if (!SafeFiles.exists(target.resolved())) {
                    entries.add(new BackupEntry(target.path(), null, 0, null, null, null));
                    continue;
                }
                PosixFileAttributes attrs = SafeFiles.attributes(target.resolved());
                Path copy = dir.resolve("files").resolve(target.path());
                SafeFiles.copyDurably(target.resolved(), copy);
                entries.add(new BackupEntry(target.path(), SafeFiles.sha256(copy), Files.size(copy),
                        SafeFiles.mode(attrs.permissions()), attrs.owner().getName(), attrs.group().getName()));
            }
            SafeFiles.writeDurably(dir.resolve("backup.json"), JSON.writeValueAsBytes(
                    new Backup(backupId, changeId, now.toString(), entries)));
            SafeFiles.fsyncDirectory(backups);
            return dir;
        } catch (IOException | JacksonException e) {
            SafeFiles.deleteTree(dir);
            throw new ConfigRefusedException(ConfigRefusal.IO_ERROR, null, "backup failed, nothing was changed: "
                    + e.getMessage(), e);
        }
    }

    /** A new file keeps the mode/owner asked for, else those of the file it replaces, else the directory's owner. */
    private void swap(Target target, Path backupDir) throws IOException {
        if (target.source() == null) {
            SafeFiles.delete(target.resolved());
            return;
        }
        BackupEntry previous = backupEntry(backupDir, target.path());
        String mode = modeFor(target.mode(), previous == null ? null : previous.mode());
        String owner = target.owner() != null ? target.owner() : previous == null ? null : previous.owner();
        String group = target.group() != null ? target.group() : previous == null ? null : previous.group();
        if (owner == null && SafeFiles.exists(target.resolved().getParent())) {
            PosixFileAttributes dir = SafeFiles.attributes(target.resolved().getParent());
            owner = dir.owner().getName();
            group = dir.group().getName();
        }
        SafeFiles.replace(target.resolved(), target.source(), mode, owner, group);
    }

    /** @return null when every file is back as the backup recorded it, else what failed */
    private String restore(Path backupDir, List<Target> touched) {
        List<String> failures = new ArrayList<>();
        for (Target target : touched) {
            BackupEntry entry = backupEntry(backupDir, target.path());
            try {
                if (entry == null || entry.sha256() == null) {
                    SafeFiles.delete(target.resolved());
                } else {
                    SafeFiles.replace(target.resolved(), backupDir.resolve("files").resolve(target.path()),
                            entry.mode(), entry.owner(), entry.group());
                }
            } catch (IOException | RuntimeException e) {
                failures.add(target.path() + ": " + e.getMessage());
            }
        }
        return failures.isEmpty() ? null : String.join("; ", failures);
    }

    private BackupEntry backupEntry(Path backupDir, String path) {
        try {
            Backup backup = JSON.readValue(Files.readAllBytes(backupDir.resolve("backup.json")), Backup.class);
            return backup.entries().stream().filter(e -> e.path().equals(path)).findFirst().orElse(null);
        } catch (IOException | JacksonException e) {
            return null;
        }
    }

    private String before(Path backupDir, String path) {
        BackupEntry entry = backupEntry(backupDir, path);
        return entry == null ? null : entry.sha256();
    }

    private void journal(Instant at, String action, String changeId, String backupId,
            List<CommitResult.FileChange> files, String result, String error) throws ConfigRefusedException {
        try (FileChannel channel = FileChannel.open(stateDir().resolve("journal.jsonl"), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            byte[] line = (JSON.writeValueAsString(new JournalLine(at.toString(), action, changeId, backupId, files,
                    result, error)) + "\n").getBytes(StandardCharsets.UTF_8);
            channel.write(java.nio.ByteBuffer.wrap(line));
            channel.force(true);
        } catch (IOException | JacksonException e) {
            throw new ConfigRefusedException(ConfigRefusal.IO_ERROR, null, action + " " + changeId + " ended with "
                    + result + " but the journal could not be written: " + e.getMessage(), e);
        }
    }

    private FileChannel openLock() throws IOException, ConfigRefusedException {
        stateDir();
        return FileChannel.open(home.resolve(ConfigScope.STATE_DIR).resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
    }

    /** Our area holds copies of configuration (possibly secrets): root-only, created on first use. */
    private Path stateDir() throws ConfigRefusedException {
        Path dir = home.resolve(ConfigScope.STATE_DIR);
        try {
            if (Files.isSymbolicLink(dir)) {
                throw new ConfigRefusedException(ConfigRefusal.OUTSIDE_ROOTS, ConfigScope.STATE_DIR,
                        "Tandem's state directory is a symbolic link");
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            return dir;
        } catch (IOException e) {
            throw new ConfigRefusedException(ConfigRefusal.IO_ERROR, null, "cannot create " + dir, e);
        }
    }

    private static void verifyHash(Path file, String expected, String path, String what)
            throws ConfigRefusedException {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new ConfigRefusedException(ConfigRefusal.NOT_FOUND, path, "the " + what + " copy is missing");
            }
            String actual = SafeFiles.sha256(file);
            if (!actual.equals(expected)) {
                throw new ConfigRefusedException(ConfigRefusal.HASH_MISMATCH, path, "the " + what
                        + " copy changed on disk: expected " + expected + ", found " + actual);
            }
        } catch (IOException e) {
            throw new ConfigRefusedException(ConfigRefusal.IO_ERROR, path, e.getMessage(), e);
        }
    }

    private static <T> T readJson(Path file, Class<T> type, String what) throws ConfigRefusedException {
        try {
            return JSON.readValue(Files.readAllBytes(file), type);
        } catch (NoSuchFileException e) {
            throw new ConfigRefusedException(ConfigRefusal.NOT_FOUND, null, what + " does not exist", e);
        } catch (IOException | JacksonException e) {
            throw new ConfigRefusedException(ConfigRefusal.IO_ERROR, null, what + " is unreadable", e);
        }
    }

    /** Change and backup ids name directories on the node: checked before any transport builds a path or URL of one. */
    public static void requireId(String id, String what) throws ConfigRefusedException {
        if (id == null || !ID.matcher(id).matches()) {
            throw new ConfigRefusedException(ConfigRefusal.INVALID_REQUEST, null, what
                    + " must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private record Target(String path, Path resolved, Path source, String sha256, String mode, String owner,
            String group) {
    }

    // ---- the store's on-disk formats, public so the agentless adapter writes and reads the very same files ----

    /** One staged file in {@code staging/<changeId>/change.json}; {@code mode} null: keep the current one. */
    public record StagedEntry(String path, String sha256, long size, String mode) {
    }

    /** {@code staging/<changeId>/change.json}. */
    public record StagedChange(String changeId, List<StagedEntry> files) {
    }

    /** {@code sha256} null: the file did not exist before the change. */
    public record BackupEntry(String path, String sha256, long size, String mode, String owner, String group) {
    }

    /** {@code backups/<id>/backup.json}. */
    public record Backup(String id, String changeId, String createdAt, List<BackupEntry> entries) {
        public BackupInfo info() {
            return new BackupInfo(id, changeId, Instant.parse(createdAt),
                    entries.stream().map(e -> new BackupInfo.FileBefore(e.path(), e.sha256())).toList());
        }
    }

    /** One line of {@code journal.jsonl}. */
    public record JournalLine(String at, String action, String changeId, String backupId,
            List<CommitResult.FileChange> files, String result, String error) {
    }

    public static final String STAGING_DIR = "staging";
    public static final String BACKUPS_DIR = "backups";
    public static final String JOURNAL = "journal.jsonl";
    public static final String CHANGE_FILE = "change.json";
    public static final String BACKUP_FILE = "backup.json";

    /** A backup's directory name: UTC time to the millisecond, then the change it precedes. */
    public static String backupId(Instant at, String changeId) {
        return STAMP.format(at) + "-" + changeId;
    }

    /** Whether a directory name under {@code backups/} can be a backup id (others are ignored). */
    public static boolean isId(String name) {
        return name != null && ID.matcher(name).matches();
    }

    /** The mode a swapped-in file gets: the one asked for, else the replaced file's, else {@value #DEFAULT_MODE}. */
    public static String modeFor(String asked, String previous) {
        return asked != null ? asked : previous != null ? previous : DEFAULT_MODE;
    }

    public static byte[] toJson(Object format) {
        return JSON.writeValueAsBytes(format);
    }

    /** Reads one of the formats above; {@code what} names the file in the refusal. */
    public static <T> T fromJson(byte[] json, Class<T> type, String what) throws ConfigRefusedException {
        try {
            return JSON.readValue(json, type);
        } catch (JacksonException e) {
            throw new ConfigRefusedException(ConfigRefusal.IO_ERROR, null, what + " is unreadable", e);
        }
    }
}
