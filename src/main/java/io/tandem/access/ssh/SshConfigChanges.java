package io.tandem.access.ssh;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.tandem.access.StagedChange;
import io.tandem.access.NodeTarget;
import io.tandem.node.CommandResult;
import io.tandem.node.NodeAccessException;
import io.tandem.node.config.BackupInfo;
import io.tandem.node.config.CommitResult;
import io.tandem.node.config.ConfigRefusal;
import io.tandem.node.config.ConfigRefusedException;
import io.tandem.node.config.ConfigScope;
import io.tandem.node.config.ConfigStore;
import io.tandem.node.config.ManifestEntry;
import io.tandem.node.config.StagedFile;

/**
 * The agent's config store done agentlessly: the same layout under {@code <home>/.tandem} (staging, backups, journal),
 * the same JSON files and the same checks ({@link ConfigStore#verifyStage}, {@link ConfigScope#confine} over SFTP
 * {@code lstat}), carried out by the node's own {@code sh}, {@code sha256sum}, {@code cp}, {@code mv} and
 * {@code flock}. Writes go through commands (with {@code sudo -n} for sudo targets), not SFTP, because SFTP runs as
 * the login user and the store is root's on such nodes (ADR 0004).
 */
final class SshConfigChanges {

    /** Exit codes of our scripts, told apart from the tools' own. */
    private static final int STATE_IS_LINK = 4;
    private static final int CANNOT_CREATE = 5;
    private static final int EXISTS = 6;
    private static final int UNREADABLE = 7;
    private static final int BACKUP_EXISTS = 10;
    private static final int BUSY = 11;
    private static final int BACKUP_FAILED = 12;
    private static final int RESTORED = 20;
    private static final int RESTORE_INCOMPLETE = 21;

    private static final String PREPARE = """
            st=$1/.tandem; id=$2
            [ -L "$st" ] && exit 4
            umask 077
            mkdir -p -- "$st/staging" || exit 5
            [ -e "$st/staging/$id" ] && exit 6
            rm -rf -- "$st/staging/.$id.partial"
            mkdir -- "$st/staging/.$id.partial" || exit 5
            """;

    private static final String WRITE = """
            f=$1/.tandem/staging/.$2.partial/files/$3
            umask 077
            mkdir -p -- "$(dirname -- "$f")" && cat > "$f"
            """;

    private static final String HASH_STAGED = """
            cd -- "$1/.tandem/staging/.$2.partial/files" || exit 7
            shift 2
            exec sha256sum -z -- "$@"
            """;

    private static final String FINISH_STAGE = """
            p=$1/.tandem/staging/.$2.partial; t=$1/.tandem/staging/$2
            cat > "$p/change.json" && sync || exit 5
            [ -e "$t" ] && exit 6
            mv -- "$p" "$t" && sync
            """;

    private static final String DISCARD_STAGE = """
            rm -rf -- "$1/.tandem/staging/.$2.partial"
            """;

    /** Per absolute path: {@code F mode owner group size sha256}, {@code A} (absent) or {@code O} (link, directory, ...). */
    private static final String DESCRIBE = """
            for f do
              if [ -L "$f" ]; then printf 'O\\0'
              elif [ -f "$f" ]; then
                stat --printf 'F\\0%a\\0%U\\0%G\\0%s\\0' -- "$f" || exit 7
                h=$(sha256sum < "$f") || exit 7
                printf '%s\\0' "${h%% *}"
              elif [ -e "$f" ]; then printf 'O\\0'
              else printf 'A\\0'
              fi
            done
            """;

    /**
     * Backs up, then swaps each file (copy beside the target, mode, owner when root, sync, rename); on a failed swap
     * puts back the files already swapped. A console that dies or loses the connection meanwhile must not stop it
     * halfway, so it ignores hangups and broken pipes and runs to its end: all files swapped, or all put back. Arguments: home, backup id, backup.json, then nine per file: path, source
     * (empty: delete), mode, owner, group (empty: the directory's), existed (1/0), and its mode, owner, group before.
     */
    private static final String APPLY = """
            trap '' HUP PIPE
            home=$1; b=$1/.tandem/backups/$2; json=$3; shift 3
            umask 077
            exec 9>>"$home/.tandem/lock" || exit 12
            flock -n 9 || exit 11
            mkdir -p -- "$home/.tandem/backups" || exit 12
            mkdir -- "$b" || exit 10
            put() {
              t=$home/$1; d=$(dirname -- "$t"); tmp=$d/.$(basename -- "$t").tandem-swap-$$.tmp
              if [ -z "$2" ]; then rm -f -- "$t"; return; fi
              mkdir -p -- "$d" && cp -- "$2" "$tmp" && chmod -- "$3" "$tmp" || { rm -f -- "$tmp"; return 1; }
              if [ "$(id -u)" = 0 ]; then
                if [ -n "$4" ]; then chown -- "$4:$5" "$tmp"; else chown --reference="$d" -- "$tmp"; fi || { rm -f -- "$tmp"; return 1; }
              fi
              sync && mv -f -- "$tmp" "$t" || { rm -f -- "$tmp"; return 1; }
            }
            backup() {
              while [ $# -gt 0 ]; do
                if [ "$6" = 1 ]; then mkdir -p -- "$(dirname -- "$b/files/$1")" && cp -- "$home/$1" "$b/files/$1" || return 1; fi
                shift 9
              done
            }
            swap() {
              while [ $# -gt 0 ]; do
                put "$1" "$2" "$3" "$4" "$5" || return 1
                i=$((i+1)); shift 9
              done
            }
            restore() {
              n=$1; shift; bad=0
              while [ "$n" -gt 0 ]; do
                if [ "$6" = 1 ]; then put "$1" "$b/files/$1" "$7" "$8" "$9" || bad=1; else rm -f -- "$home/$1" || bad=1; fi
                n=$((n-1)); shift 9
              done
              return $bad
            }
            { backup "$@" && printf '%s' "$json" > "$b/backup.json" && sync; } || { rm -rf -- "$b"; exit 12; }
            i=0
            swap "$@" && { sync; exit 0; }
            printf '%s' "$i"
            restore $((i+1)) "$@" && { sync; exit 20; }
            exit 21
            """;

    /** Appends the journal line, drops the staged change when one is named, flushes. */
    private static final String RECORD = """
            umask 077
            printf '%s\\n' "$2" >> "$1/.tandem/journal.jsonl" || exit 5
            [ -z "$3" ] || rm -rf -- "$1/.tandem/staging/$3"
            sync
            """;

    /** Prints {@code <id> NUL <backup.json> NUL} for each backup directory. */
    private static final String LIST_BACKUPS = """
            cd -- "$1/.tandem/backups" 2>/dev/null || exit 0
            for d in *; do
              if [ -d "$d" ] && [ ! -L "$d" ] && [ -f "$d/backup.json" ]; then
                printf '%s\\0' "$d"; cat -- "$d/backup.json" || exit 7; printf '\\0'
              fi
            done
            """;

    /** Removes the named backup directories under the commit lock; a link in their place is refused, not followed. */
    private static final String PRUNE = """
            home=$1; shift
            exec 9>>"$home/.tandem/lock" || exit 5
            flock -n 9 || exit 11
            for id do
              d=$home/.tandem/backups/$id
              [ -L "$d" ] && exit 4
              rm -rf -- "$d" || exit 7
            done
            sync
            """;

    private final SshToolRunner runner;
    private final SshConfigFiles files;
    private final NodeTarget node;
    private final String home;
    private final ConfigScope scope;
    private final long maxStageBytes;
    private final Duration timeout;
    private final Clock clock;

    SshConfigChanges(SshToolRunner runner, SshConfigFiles files, NodeTarget node, long maxStageBytes, Duration timeout,
            Clock clock) throws ConfigRefusedException {
        this.runner = runner;
        this.files = files;
        this.node = node;
        this.home = node.nfoHome();
        this.scope = files.scope(home);
        this.maxStageBytes = maxStageBytes;
        this.timeout = timeout;
        this.clock = clock;
    }

    StagedChange stage(String changeId, List<StagedFile> staged) throws NodeAccessException, ConfigRefusedException {
        List<ConfigStore.StagedEntry> entries = files.withInspector(home,
                lstat -> ConfigStore.verifyStage(scope, changeId, staged, maxStageBytes, lstat));
        CommandResult prepared = script(PREPARE, List.of(home, changeId), null);
        switch (prepared.exitCode()) {
            case 0 -> { }
            case STATE_IS_LINK -> throw new ConfigRefusedException(ConfigRefusal.OUTSIDE_ROOTS, ConfigScope.STATE_DIR,
                    "Tandem's state directory is a symbolic link");
            case EXISTS -> throw new ConfigRefusedException(ConfigRefusal.ALREADY_EXISTS, null, "change " + changeId
                    + " is staged");
            default -> throw ioError("cannot create the staging area", prepared);
        }
        try {
            for (StagedFile file : staged) {
                CommandResult written = script(WRITE, List.of(home, changeId, file.path()), file.bytes());
                if (!written.succeeded()) {
                    throw ioError("writing " + file.path() + " into the staging area failed", written);
                }
            }
            Map<String, String> onNode = hashesOfStaged(changeId, entries);
            for (ConfigStore.StagedEntry entry : entries) {
                String found = onNode.get(entry.path());
                if (!entry.sha256().equals(found)) {
                    throw new ConfigRefusedException(ConfigRefusal.HASH_MISMATCH, entry.path(), "expected "
                            + entry.sha256() + ", the node has " + (found == null ? "nothing readable" : found));
                }
            }
            List<ConfigStore.StagedEntry> sorted = entries.stream()
                    .sorted(Comparator.comparing(ConfigStore.StagedEntry::path)).toList();
            CommandResult finished = script(FINISH_STAGE, List.of(home, changeId),
                    ConfigStore.toJson(new ConfigStore.StagedChange(changeId, sorted)));
            if (finished.exitCode() == EXISTS) {
                throw new ConfigRefusedException(ConfigRefusal.ALREADY_EXISTS, null, "change " + changeId + " is staged");
            }
            if (!finished.succeeded()) {
                throw ioError("staging failed", finished);
            }
            return new StagedChange(changeId, sorted.stream().map(ConfigStore.StagedEntry::path).toList());
        } catch (ConfigRefusedException | NodeAccessException | RuntimeException e) {
            discard(changeId);
            throw e;
        }
    }

    CommitResult commit(String changeId) throws NodeAccessException, ConfigRefusedException {
        ConfigStore.requireId(changeId, "change id");
        String stageDir = state(ConfigStore.STAGING_DIR + "/" + changeId);
        ConfigStore.StagedChange change = ConfigStore.fromJson(readState(stageDir + "/" + ConfigStore.CHANGE_FILE,
                "staged change " + changeId), ConfigStore.StagedChange.class, "staged change " + changeId);
        List<String> paths = change.files().stream().map(ConfigStore.StagedEntry::path).toList();
        confineAll(paths);
        List<Described> sources = describe(paths.stream().map(p -> stageDir + "/files/" + p).toList());
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            ConfigStore.StagedEntry entry = change.files().get(i);
            requireCopy(sources.get(i), entry.path(), entry.sha256(), "staged");
            targets.add(new Target(entry.path(), stageDir + "/files/" + entry.path(), entry.sha256(), entry.mode(),
                    null, null));
        }
        return apply(changeId, "commit", targets, changeId);
    }

    CommitResult rollback(String backupId) throws NodeAccessException, ConfigRefusedException {
        ConfigStore.requireId(backupId, "backup id");
        String backupDir = state(ConfigStore.BACKUPS_DIR + "/" + backupId);
        ConfigStore.Backup backup = ConfigStore.fromJson(readState(backupDir + "/" + ConfigStore.BACKUP_FILE,
                "backup " + backupId), ConfigStore.Backup.class, "backup " + backupId);
        List<String> paths = backup.entries().stream().map(ConfigStore.BackupEntry::path).toList();
        confineAll(paths);
        List<Described> copies = describe(paths.stream().map(p -> backupDir + "/files/" + p).toList());
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            ConfigStore.BackupEntry entry = backup.entries().get(i);
            if (entry.sha256() == null) {
                targets.add(new Target(entry.path(), "", null, null, null, null));
            } else {
                requireCopy(copies.get(i), entry.path(), entry.sha256(), "backed-up");
                targets.add(new Target(entry.path(), backupDir + "/files/" + entry.path(), entry.sha256(), entry.mode(),
                        entry.owner(), entry.group()));
            }
        }
        return apply("rollback-" + backup.changeId(), "rollback of " + backupId, targets, null);
    }

    List<BackupInfo> backups() throws NodeAccessException, ConfigRefusedException {
        CommandResult listed = script(LIST_BACKUPS, List.of(home), null);
        if (!listed.succeeded() || listed.truncated()) {
            throw ioError("cannot list backups", listed);
        }
        String[] parts = listed.stdout().split("\0", -1);
        List<BackupInfo> backups = new ArrayList<>();
        for (int i = 0; i + 1 < parts.length; i += 2) {
            if (ConfigStore.isId(parts[i])) {
                backups.add(ConfigStore.fromJson(parts[i + 1].getBytes(StandardCharsets.UTF_8), ConfigStore.Backup.class,
                        "backup " + parts[i]).info());
            }
        }
        backups.sort(Comparator.comparing(BackupInfo::id).reversed());
        return backups;
    }

    List<String> pruneBackups(int keep) throws NodeAccessException, ConfigRefusedException {
        List<String> doomed = ConfigStore.beyondRetention(backups(), keep);
        if (doomed.isEmpty()) {
            return doomed;
        }
        List<String> args = new ArrayList<>(List.of(home));
        args.addAll(doomed);
        CommandResult pruned = script(PRUNE, args, null);
        switch (pruned.exitCode()) {
            case 0 -> {
                return doomed;
            }
            case BUSY -> throw new ConfigRefusedException(ConfigRefusal.BUSY, null, "a commit or rollback is running");
            case STATE_IS_LINK -> throw new ConfigRefusedException(ConfigRefusal.OUTSIDE_ROOTS, null,
                    "a backup is a symbolic link; nothing past it was removed");
            default -> throw ioError("cannot remove backups", pruned);
        }
    }

    // ---- the swap ----

    /** A file to put in place: from {@code source} (empty: delete it), with the given mode/owner (null: keep). */
    private record Target(String path, String source, String sha256, String mode, String owner, String group) {
    }

    /** What a path on the node is now; {@code sha256} null when absent. */
    private record Described(boolean regular, boolean absent, String mode, String owner, String group, long size,
            String sha256) {
    }

    private CommitResult apply(String changeId, String action, List<Target> targets, String stagedToDrop)
            throws NodeAccessException, ConfigRefusedException {
        List<Described> before = describe(targets.stream().map(t -> home + "/" + t.path()).toList());
        Instant now = clock.instant();
        String backupId = ConfigStore.backupId(now, changeId);
        List<ConfigStore.BackupEntry> entries = new ArrayList<>();
        List<CommitResult.FileChange> changes = new ArrayList<>();
        List<String> argv = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Target target = targets.get(i);
            Described current = before.get(i);
            if (!current.regular() && !current.absent()) {
                throw new ConfigRefusedException(ConfigRefusal.NOT_A_REGULAR_FILE, target.path(), "not a regular file");
            }
            entries.add(new ConfigStore.BackupEntry(target.path(), current.sha256(), current.size(), current.mode(), current.owner(),
                    current.group()));
            changes.add(new CommitResult.FileChange(target.path(), current.sha256(), target.sha256()));
            String owner = target.owner() != null ? target.owner() : current.owner();
            String group = target.group() != null ? target.group() : current.group();
            argv.addAll(List.of(target.path(), target.source(), ConfigStore.modeFor(target.mode(), current.mode()),
                    owner == null ? "" : owner, group == null ? "" : group, current.absent() ? "0" : "1",
                    orEmpty(current.mode()), orEmpty(current.owner()), orEmpty(current.group())));
        }
        byte[] backupJson = ConfigStore.toJson(new ConfigStore.Backup(backupId, changeId, now.toString(), entries));
        List<String> args = new ArrayList<>(List.of(home, backupId, new String(backupJson, StandardCharsets.UTF_8)));
        args.addAll(argv);
        CommandResult applied = script(APPLY, args, null);
        switch (applied.exitCode()) {
            case 0 -> {
                record(now, action, changeId, backupId, changes, "APPLIED", null, stagedToDrop);
                return new CommitResult(changeId, backupId, changes);
            }
            case BUSY -> throw new ConfigRefusedException(ConfigRefusal.BUSY, null, "another commit or rollback is running");
            case BACKUP_EXISTS -> throw new ConfigRefusedException(ConfigRefusal.ALREADY_EXISTS, null, "backup " + backupId
                    + " already exists");
            case BACKUP_FAILED -> throw ioError("backup failed, nothing was changed", applied);
            case RESTORED, RESTORE_INCOMPLETE -> {
                ConfigRefusal reason = applied.exitCode() == RESTORED ? ConfigRefusal.APPLY_FAILED
                        : ConfigRefusal.RESTORE_INCOMPLETE;
                String failed = failedPath(applied.stdout(), targets);
                String message = "swapping " + failed + " failed (" + applied.firstErrorLine() + "); "
                        + (reason == ConfigRefusal.APPLY_FAILED
                                ? "the files already swapped were restored from backup " + backupId
                                : "restoring from backup " + backupId + " failed too");
                record(now, action, changeId, backupId, changes, reason.name(), message, null);
                throw new ConfigRefusedException(reason, failed, message);
            }
            default -> throw ioError(action + " failed", applied);
        }
    }

    private void record(Instant at, String action, String changeId, String backupId, List<CommitResult.FileChange> changes,
            String result, String error, String stagedToDrop) throws NodeAccessException, ConfigRefusedException {
        String line = new String(ConfigStore.toJson(new ConfigStore.JournalLine(at.toString(), action, changeId, backupId,
                changes, result, error)), StandardCharsets.UTF_8);
        CommandResult recorded = script(RECORD, List.of(home, line, stagedToDrop == null ? "" : stagedToDrop), null);
        if (!recorded.succeeded()) {
            throw new ConfigRefusedException(ConfigRefusal.IO_ERROR, null, action + " " + changeId + " ended with "
                    + result + " but the journal could not be written: " + recorded.firstErrorLine());
        }
    }

    // ---- helpers ----

    private void confineAll(List<String> paths) throws NodeAccessException, ConfigRefusedException {
        files.withInspector(home, lstat -> {
            for (String path : paths) {
                scope.confine(path, lstat);
            }
            return null;
        });
    }

    private Map<String, String> hashesOfStaged(String changeId, List<ConfigStore.StagedEntry> entries)
            throws NodeAccessException, ConfigRefusedException {
        List<String> args = new ArrayList<>(List.of(home, changeId));
        entries.forEach(e -> args.add(e.path()));
        CommandResult hashed = script(HASH_STAGED, args, null);
        if (hashed.truncated() || hashed.exitCode() == UNREADABLE) {
            throw ioError("cannot hash the staged files", hashed);
        }
        return SshManifest.hashes(hashed.stdout(), entries.stream().map(ConfigStore.StagedEntry::path).toList());
    }

    private List<Described> describe(List<String> absolutePaths) throws NodeAccessException, ConfigRefusedException {
        CommandResult described = script(DESCRIBE, absolutePaths, null);
        if (!described.succeeded() || described.truncated()) {
            throw ioError("cannot examine the files", described);
        }
        String[] fields = described.stdout().split("\0", -1);
        List<Described> result = new ArrayList<>();
        int at = 0;
        try {
            for (int i = 0; i < absolutePaths.size(); i++) {
                switch (fields[at]) {
                    case "F" -> {
                        result.add(new Described(true, false, ManifestEntry.mode(Integer.parseInt(fields[at + 1], 8)),
                                fields[at + 2], fields[at + 3], Long.parseLong(fields[at + 4]), fields[at + 5]));
                        at += 6;
                    }
                    case "A" -> {
                        result.add(new Described(false, true, null, null, null, 0, null));
                        at += 1;
                    }
                    case "O" -> {
                        result.add(new Described(false, false, null, null, null, 0, null));
                        at += 1;
                    }
                    default -> throw new NodeAccessException.BadAnswer("unexpected answer while examining files on "
                            + node.name(), null);
                }
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            throw new NodeAccessException.BadAnswer("unreadable answer while examining files on " + node.name(), e);
        }
        return result;
    }

    private static void requireCopy(Described copy, String path, String expected, String what)
            throws ConfigRefusedException {
        if (!copy.regular()) {
            throw new ConfigRefusedException(ConfigRefusal.NOT_FOUND, path, "the " + what + " copy is missing");
        }
        if (!expected.equals(copy.sha256())) {
            throw new ConfigRefusedException(ConfigRefusal.HASH_MISMATCH, path, "the " + what
                    + " copy changed on disk: expected " + expected + ", found " + copy.sha256());
        }
    }

    private byte[] readState(String absolutePath, String what) throws NodeAccessException, ConfigRefusedException {
        CommandResult read = runner.run(SshNodeAccess.stable(List.of("cat", "--", absolutePath)), new byte[0], timeout);
        if (read.succeeded() && !read.truncated()) {
            return read.stdout().getBytes(StandardCharsets.UTF_8);
        }
        if (read.stderr().contains("No such file or directory") || read.stderr().contains("Not a directory")) {
            throw new ConfigRefusedException(ConfigRefusal.NOT_FOUND, null, what + " does not exist");
        }
        throw ioError(what + " is unreadable", read);
    }

    private void discard(String changeId) {
        try {
            script(DISCARD_STAGE, List.of(home, changeId), null);
        } catch (NodeAccessException e) {
            // The stage already failed and that is the failure to report; a leftover partial is replaced next time.
        }
    }

    private String state(String relative) {
        return home + "/" + ConfigScope.STATE_DIR + "/" + relative;
    }

    private CommandResult script(String script, List<String> args, byte[] stdin) throws NodeAccessException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "tandem"));
        argv.addAll(args);
        return runner.run(SshNodeAccess.stable(argv), stdin == null ? new byte[0] : stdin, timeout);
    }

    private static String failedPath(String stdout, List<Target> targets) {
        try {
            return targets.get(Integer.parseInt(stdout.strip())).path();
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return "a file";
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static ConfigRefusedException ioError(String what, CommandResult result) {
        return new ConfigRefusedException(ConfigRefusal.IO_ERROR, null, what + " (exit " + result.exitCode() + "): "
                + result.firstErrorLine());
    }
}
