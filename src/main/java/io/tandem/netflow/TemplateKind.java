package io.tandem.netflow;

/** What kind of template a cache entry holds; data of all kinds needs its template to be decoded. */
public enum TemplateKind {
    V9, V9_OPTIONS, IPFIX, IPFIX_OPTIONS;

    public boolean isOptions() {
        return this == V9_OPTIONS || this == IPFIX_OPTIONS;
    }
}
