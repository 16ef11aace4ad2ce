package io.tandem.node.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The two checks a configuration copy makes around its writes, shared by the copy operation and {@code bench copy}
 * so the bench measures what the operation does: both manifests read at once before, and after the commit the
 * target alone checked against what was staged (the source was read before; reading it again proves nothing about
 * the copy).
 */
public final class CopyCheck {

    /** Daemon threads, created on demand and dropped when idle: manifests are read rarely and must not keep a JVM up. */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "manifest-reader");
        thread.setDaemon(true);
        return thread;
    });

    private CopyCheck() {
    }

    /** Reads one node's manifest; {@code E} is the transport's failure. */
    @FunctionalInterface
    public interface ManifestRead<E extends Exception> {
        ConfigManifest read() throws E, ConfigRefusedException;
    }

    public record Manifests(ConfigManifest first, ConfigManifest second) {
    }

    /**
     * Both manifests, the second read on another thread while this one reads the first: each node hashes its own
     * files, so the two waits overlap. The first failure is thrown as the reader threw it; the other read is waited
     * for, so no read outlives the call.
     */
    @SuppressWarnings("unchecked")
    public static <E extends Exception> Manifests both(ManifestRead<E> first, ManifestRead<E> second)
            throws E, ConfigRefusedException {
        Future<ConfigManifest> other = READERS.submit(second::read);
        ConfigManifest a;
        try {
            a = first.read();
        } catch (Exception | Error e) {
            await(other);
            throw e;
        }
        try {
            return new Manifests(a, other.get());
        } catch (InterruptedException e) {
            other.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading a manifest", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigRefusedException refused) {
                throw refused;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw (E) cause; // the reader throws only E, a refusal or unchecked exceptions
        }
    }

    private static void await(Future<?> read) {
        try {
            read.get();
        } catch (InterruptedException e) {
            read.cancel(true);
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // the first failure is the one reported
        }
    }

    /**
     * The staged paths the target does not hold as staged: missing from the commit's result or from the target's
     * manifest read after it, or with another hash in either (a file not hashed by the target counts as different).
     *
     * @param staged each staged path with the SHA-256 the source's bytes had (and the target verified on staging)
     * @return sorted, empty when the copy landed
     */
    public static List<String> notLanded(Map<String, String> staged, CommitResult commit, ConfigManifest target) {
        Map<String, String> committed = commit.files().stream().filter(f -> f.sha256After() != null)
                .collect(Collectors.toMap(CommitResult.FileChange::path, CommitResult.FileChange::sha256After, (x, y) -> x));
        Map<String, ManifestEntry> now = target.files().stream()
                .collect(Collectors.toMap(ManifestEntry::path, Function.identity(), (x, y) -> x));
        List<String> wrong = new ArrayList<>();
        for (String path : new TreeSet<>(staged.keySet())) {
            String expected = staged.get(path);
            ManifestEntry entry = now.get(path);
            if (!expected.equals(committed.get(path)) || entry == null || !expected.equals(entry.sha256())) {
                wrong.add(path);
            }
        }
        return wrong;
    }
}
