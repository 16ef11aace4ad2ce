package io.tandem.netflow;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** An immutable, sorted copy of a template cache taken at {@code takenAtMillis}. */
public record TemplateSnapshot(long takenAtMillis, List<CachedTemplate> templates) {

    public TemplateSnapshot {
        templates = templates.stream().sorted((a, b) -> a.key().compareTo(b.key())).toList();
    }

    public static TemplateSnapshot empty(long takenAtMillis) {
        return new TemplateSnapshot(takenAtMillis, List.of());
    }

    public Map<TemplateKey, CachedTemplate> byKey() {
        return templates.stream().collect(Collectors.toMap(CachedTemplate::key, Function.identity()));
    }

    public Optional<CachedTemplate> find(TemplateKey key) {
        return templates.stream().filter(t -> t.key().equals(key)).findFirst();
    }

    public int size() {
        return templates.size();
    }
}
