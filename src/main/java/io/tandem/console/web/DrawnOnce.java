package io.tandem.console.web;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Values drawn once per key and version, handed to everyone who asks until the version changes. Who asks while a value
 * is being drawn waits for that drawing instead of drawing it again; a drawing that failed is not kept (whoever drew it
 * gets the failure, the next one to ask draws again). Shared pages and health panels are drawn this way.
 *
 * @param <K> what is drawn (a pair, a page for a set of roles)
 * @param <T> the version it is drawn from
 * @param <V> the drawing
 */
public final class DrawnOnce<K, T, V> {

    private record Drawing<T, V>(T version, CompletableFuture<V> value) {
    }

    private final Map<K, Drawing<T, V>> drawings = new ConcurrentHashMap<>();
    private final BiPredicate<T, T> same;
    private final Consumer<DrawnOnce<K, T, V>> afterPlacing;

    /**
     * @param same whether a kept drawing's version is the one asked for
     * @param afterPlacing run when a new drawing is about to be drawn: where the owner trims what it keeps
     */
    public DrawnOnce(BiPredicate<T, T> same, Consumer<DrawnOnce<K, T, V>> afterPlacing) {
        this.same = Objects.requireNonNull(same, "same");
        this.afterPlacing = Objects.requireNonNull(afterPlacing, "afterPlacing");
    }

    /** The drawing of {@code key} at {@code version}: the kept one, the one under way, or {@code draw}'s now. */
    public V get(K key, T version, Supplier<V> draw) {
        while (true) {
            Drawing<T, V> kept = drawings.get(key);
            if (kept != null && same.test(kept.version(), version)) {
                V value = outcome(kept);
                if (value != null) {
                    return value;
                }
                drawings.remove(key, kept); // it failed: draw again
                continue;
            }
            Drawing<T, V> mine = new Drawing<>(version, new CompletableFuture<>());
            boolean placed = kept == null ? drawings.putIfAbsent(key, mine) == null : drawings.replace(key, kept, mine);
            if (!placed) {
                continue; // someone else placed a drawing meanwhile: look at it
            }
            afterPlacing.accept(this);
            try {
                V value = draw.get();
                mine.value().complete(value);
                return value;
            } catch (RuntimeException | Error e) {
                mine.value().completeExceptionally(e);
                drawings.remove(key, mine);
                throw e;
            }
        }
    }

    public void forget(K key) {
        drawings.remove(key);
    }

    public void forgetIf(Predicate<K> gone) {
        drawings.keySet().removeIf(gone);
    }

    public void clear() {
        drawings.clear();
    }

    public int size() {
        return drawings.size();
    }

    /** The drawing's value, waiting for it if it is under way; null when it failed (the one who drew it says why). */
    private static <V> V outcome(Drawing<?, V> drawing) {
        try {
            return drawing.value().join();
        } catch (CompletionException e) {
            return null;
        }
    }
}
