package io.tandem.netflow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Templates learned per (exporter, source id / observation domain, template id), with their
 * refresh history and data-record counts and rate. Bounded ({@link #maxTemplates()}) because every
 * input is potentially hostile.
 *
 * <p>Thread-safety: every method synchronizes on the cache, and {@link PacketDecoder} holds the
 * monitor for a whole packet, so one or more writer threads and any number of readers calling
 * {@link #snapshot(long)} see consistent state. Lookups on the data path do not allocate.
 */
public final class TemplateCache {

    /** Data-record rates are measured over complete windows of this length. */
    public static final long RATE_WINDOW_MILLIS = 10_000;
    public static final int DEFAULT_MAX_TEMPLATES = 100_000;

    private final int maxTemplates;
    private final Map<Exporter, EntryTable> tables = new HashMap<>();
    private int size;

    // Scratch space for the template record being parsed: a template is applied only once its whole
    // record parsed, and a refresh with an unchanged definition never allocates.
    int[] scratchIds = new int[64];
    long[] scratchEnterprises = new long[64];
    int[] scratchLengths = new int[64];

    public TemplateCache() {
        this(DEFAULT_MAX_TEMPLATES);
    }

    public TemplateCache(int maxTemplates) {
        if (maxTemplates < 1) {
            throw new IllegalArgumentException("maxTemplates must be positive");
        }
        this.maxTemplates = maxTemplates;
    }

    public int maxTemplates() {
        return maxTemplates;
    }

    public synchronized int size() {
        return size;
    }

    public synchronized TemplateSnapshot snapshot(long nowMillis) {
        List<CachedTemplate> out = new ArrayList<>(size);
        for (EntryTable table : tables.values()) {
            table.forEach(e -> out.add(e.view(nowMillis)));
        }
        return new TemplateSnapshot(nowMillis, out);
    }

    /** Replaces the contents with a persisted snapshot; rates restart from zero. */
    public synchronized void restore(TemplateSnapshot snapshot) {
        clear();
        for (CachedTemplate t : snapshot.templates()) {
            if (size >= maxTemplates) {
                break;
            }
            Entry e = new Entry(t.key(), t.definition(), t.firstSeenMillis());
            e.lastSeen = t.lastSeenMillis();
            e.refreshCount = t.refreshCount();
            e.refreshInterval = t.refreshIntervalMillis();
            e.dataRecords = t.dataRecords();
            e.lastData = t.lastDataMillis();
            remove(t.key().exporter(), t.key().domain(), t.key().templateId());
            put(e);
        }
    }

    public synchronized void clear() {
        tables.clear();
        size = 0;
    }

    /** Removes one template, as an IPFIX withdrawal would; returns whether it was present. */
    public synchronized boolean withdraw(TemplateKey key) {
        return remove(key.exporter(), key.domain(), key.templateId());
    }

    // ---- package-private data path; callers hold the monitor ----

    Entry find(Exporter exporter, long domain, int templateId) {
        EntryTable table = tables.get(exporter);
        return table == null ? null : table.get(key(domain, templateId));
    }

    void ensureScratch(int fields) {
        if (scratchIds.length < fields) {
            int n = Math.max(fields, scratchIds.length * 2);
            scratchIds = new int[n];
            scratchEnterprises = new long[n];
            scratchLengths = new int[n];
        }
    }

    /**
     * Applies the template held in the scratch arrays; returns null when the cache is full and the
     * template is new (the caller reports it).
     */
    Entry applyTemplate(Exporter exporter, long domain, int templateId, TemplateKind kind, int scopeFieldCount,
                        int fieldCount, long now) {
        Entry existing = find(exporter, domain, templateId);
        if (existing != null && existing.sameDefinition(kind, scopeFieldCount, fieldCount, this)) {
            existing.refresh(now);
            return existing;
        }
        if (existing == null && size >= maxTemplates) {
            return null;
        }
        List<TemplateField> fields = new ArrayList<>(fieldCount);
        for (int i = 0; i < fieldCount; i++) {
            fields.add(new TemplateField(scratchIds[i], scratchEnterprises[i], scratchLengths[i]));
        }
        TemplateDefinition definition = new TemplateDefinition(kind, scopeFieldCount, fields);
        Entry entry = new Entry(new TemplateKey(exporter, domain, templateId), definition, now);
        if (existing != null) {
            remove(exporter, domain, templateId);
        }
        put(entry);
        return entry;
    }

    boolean remove(Exporter exporter, long domain, int templateId) {
        EntryTable table = tables.get(exporter);
        if (table == null || !table.remove(key(domain, templateId))) {
            return false;
        }
        size--;
        return true;
    }

    /** IPFIX all-templates withdrawal: removes every template of {@code kind} in the domain. */
    int removeAll(Exporter exporter, long domain, TemplateKind kind) {
        EntryTable table = tables.get(exporter);
        if (table == null) {
            return 0;
        }
        List<Entry> doomed = new ArrayList<>();
        table.forEach(e -> {
            if (e.key.domain() == domain && e.definition.kind() == kind) {
                doomed.add(e);
            }
        });
        for (Entry e : doomed) {
            remove(exporter, domain, e.key.templateId());
        }
        return doomed.size();
    }

    private void put(Entry e) {
        tables.computeIfAbsent(e.key.exporter(), x -> new EntryTable()).put(key(e.key.domain(), e.key.templateId()), e);
        size++;
    }

    private static long key(long domain, int templateId) {
        return domain << 16 | templateId;
    }

    /** One cached template with its decode layout and counters. Mutated only under the cache monitor. */
    static final class Entry {
        final TemplateKey key;
        final TemplateDefinition definition;
        /** Fixed record length, or -1 when the template has variable-length fields. */
        final int fixedLength;
        /** For variable-length templates: fixed bytes before the first, then after each, variable field. */
        final int[] fixedRuns;
        /** Smallest possible record (fixed bytes plus a one-byte length per variable field). */
        final int minLength;
        final long firstSeen;
        long lastSeen;
        long refreshCount;
        long refreshInterval;
        long dataRecords;
        long lastData;
        private long windowStart = Long.MIN_VALUE;
        private long windowCount;
        private long previousWindowCount;

        Entry(TemplateKey key, TemplateDefinition definition, long now) {
            this.key = key;
            this.definition = definition;
            this.firstSeen = now;
            this.lastSeen = now;
            List<TemplateField> fields = definition.fields();
            int variable = (int) fields.stream().filter(TemplateField::isVariableLength).count();
            int[] runs = new int[variable + 1];
            int run = 0;
            int fixed = 0;
            for (TemplateField f : fields) {
                if (f.isVariableLength()) {
                    run++;
                } else {
                    runs[run] += f.length();
                    fixed += f.length();
                }
            }
            this.fixedLength = variable == 0 ? fixed : -1;
            this.fixedRuns = variable == 0 ? null : runs;
            this.minLength = fixed + variable;
        }

        boolean sameDefinition(TemplateKind kind, int scope, int n, TemplateCache scratch) {
            List<TemplateField> fields = definition.fields();
            if (definition.kind() != kind || definition.scopeFieldCount() != scope || fields.size() != n) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                TemplateField f = fields.get(i);
                if (f.id() != scratch.scratchIds[i] || f.enterprise() != scratch.scratchEnterprises[i]
                        || f.length() != scratch.scratchLengths[i]) {
                    return false;
                }
            }
            return true;
        }

        void refresh(long now) {
            if (now > lastSeen) {
                refreshInterval = now - lastSeen;
            }
            lastSeen = Math.max(lastSeen, now);
            refreshCount++;
        }

        void recordData(int records, long now) {
            if (windowStart == Long.MIN_VALUE || now < windowStart) {
                windowStart = windowStart == Long.MIN_VALUE ? now : windowStart;
            } else if (now - windowStart >= RATE_WINDOW_MILLIS) {
                long windows = (now - windowStart) / RATE_WINDOW_MILLIS;
                previousWindowCount = windows == 1 ? windowCount : 0;
                windowStart += windows * RATE_WINDOW_MILLIS;
                windowCount = 0;
            }
            windowCount += records;
            dataRecords += records;
            lastData = Math.max(lastData, now);
        }

        double rate(long now) {
            if (windowStart == Long.MIN_VALUE) {
                return 0;
            }
            long age = now - windowStart;
            long complete = age >= 2 * RATE_WINDOW_MILLIS ? 0 : age >= RATE_WINDOW_MILLIS ? windowCount : previousWindowCount;
            return complete * 1000.0 / RATE_WINDOW_MILLIS;
        }

        CachedTemplate view(long now) {
            return new CachedTemplate(key, definition, firstSeen, lastSeen, refreshCount, refreshInterval,
                    dataRecords, lastData, rate(now));
        }
    }

    /** Open-addressing map from (domain, template id) packed in a long to entries; get never allocates. */
    private static final class EntryTable {
        private static final long EMPTY = -1L;
        private long[] keys = newKeys(16);
        private Entry[] values = new Entry[16];
        private int count;

        private static long[] newKeys(int n) {
            long[] k = new long[n];
            java.util.Arrays.fill(k, EMPTY);
            return k;
        }

        private static int slot(long key, int mask) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }

        Entry get(long key) {
            int mask = keys.length - 1;
            for (int i = slot(key, mask); ; i = (i + 1) & mask) {
                long k = keys[i];
                if (k == key) {
                    return values[i];
                }
                if (k == EMPTY) {
                    return null;
                }
            }
        }

        void put(long key, Entry value) {
            if ((count + 1) * 2 > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            for (int i = slot(key, mask); ; i = (i + 1) & mask) {
                if (keys[i] == EMPTY || keys[i] == key) {
                    if (keys[i] == EMPTY) {
                        count++;
                    }
                    keys[i] = key;
                    values[i] = value;
                    return;
                }
            }
        }

        boolean remove(long key) {
            int mask = keys.length - 1;
            int i = slot(key, mask);
            while (keys[i] != key) {
                if (keys[i] == EMPTY) {
                    return false;
                }
                i = (i + 1) & mask;
            }
            // Backward-shift deletion keeps probe chains intact without tombstones.
            int hole = i;
            for (int j = (hole + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
                int home = slot(keys[j], mask);
                boolean movable = hole <= j ? home <= hole || home > j : home <= hole && home > j;
                if (movable) {
                    keys[hole] = keys[j];
                    values[hole] = values[j];
                    hole = j;
                }
            }
            keys[hole] = EMPTY;
            values[hole] = null;
            count--;
            return true;
        }

        void forEach(java.util.function.Consumer<Entry> action) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != EMPTY) {
                    action.accept(values[i]);
                }
            }
        }

        private void grow() {
            long[] oldKeys = keys;
            Entry[] oldValues = values;
            keys = newKeys(oldKeys.length * 2);
            values = new Entry[oldKeys.length * 2];
            count = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != EMPTY) {
                    put(oldKeys[i], oldValues[i]);
                }
            }
        }
    }
}
