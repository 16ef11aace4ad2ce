package io.tandem.netflow;

import java.util.List;

/**
 * What a template says: its kind, how many leading fields are scope fields (options templates) and
 * the ordered field list. {@link #hash()} is stable across runs and machines (FNV-1a over the fields),
 * so two nodes can compare definitions by hash.
 */
public record TemplateDefinition(TemplateKind kind, int scopeFieldCount, List<TemplateField> fields) {

    public TemplateDefinition {
        if (kind == null || fields == null || fields.isEmpty()) {
            throw new IllegalArgumentException("a template needs a kind and at least one field");
        }
        if (scopeFieldCount < 0 || scopeFieldCount > fields.size() || !kind.isOptions() && scopeFieldCount != 0) {
            throw new IllegalArgumentException("invalid scope field count " + scopeFieldCount);
        }
        fields = List.copyOf(fields);
    }

    public long hash() {
        long h = 0xcbf29ce484222325L;
        h = mix(h, scopeFieldCount);
        for (TemplateField f : fields) {
            h = mix(h, f.id());
            h = mix(h, f.enterprise());
            h = mix(h, f.length());
        }
        return h;
    }

    public boolean hasVariableLengthFields() {
        return fields.stream().anyMatch(TemplateField::isVariableLength);
    }

    /** Record length in bytes, or -1 when it varies per record. */
    public int recordLength() {
        if (hasVariableLengthFields()) {
            return -1;
        }
        return fields.stream().mapToInt(TemplateField::length).sum();
    }

    private static long mix(long h, long value) {
        for (int i = 0; i < 8; i++) {
            h ^= (value >>> (i * 8)) & 0xFF;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
