package io.tandem.netflow;

/**
 * One field of a template: information element id (without the IPFIX enterprise bit), enterprise
 * number (0 when none) and length in bytes ({@value #VARIABLE_LENGTH} for variable length).
 */
public record TemplateField(int id, long enterprise, int length) {

    public static final int VARIABLE_LENGTH = 65535;

    public TemplateField {
        if (id < 0 || id > 0xFFFF) {
            throw new IllegalArgumentException("element id out of range: " + id);
        }
        if (enterprise < 0 || enterprise > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("enterprise number out of range: " + enterprise);
        }
        if (length < 0 || length > VARIABLE_LENGTH) {
            throw new IllegalArgumentException("field length out of range: " + length);
        }
    }

    public boolean isVariableLength() {
        return length == VARIABLE_LENGTH;
    }
}
