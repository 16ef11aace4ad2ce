package io.tandem.netflow;

import java.util.Comparator;

/** Identity of a template: exporter address, v9 source id / IPFIX observation domain, template id. */
public record TemplateKey(Exporter exporter, long domain, int templateId) implements Comparable<TemplateKey> {

    private static final Comparator<TemplateKey> ORDER = Comparator
            .comparing((TemplateKey k) -> k.exporter().toString())
            .thenComparingLong(TemplateKey::domain)
            .thenComparingInt(TemplateKey::templateId);

    public TemplateKey {
        if (exporter == null) {
            throw new IllegalArgumentException("exporter is required");
        }
        if (domain < 0 || domain > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("domain out of range: " + domain);
        }
        if (templateId < 256 || templateId > 0xFFFF) {
            throw new IllegalArgumentException("template id out of range: " + templateId);
        }
    }

    @Override
    public int compareTo(TemplateKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return exporter + "/" + domain + "/" + templateId;
    }
}
