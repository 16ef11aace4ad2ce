package io.tandem.netflow;

/** Why a packet (or the rest of it) could not be decoded. */
public enum DecodeProblem {
    TRUNCATED_HEADER("packet shorter than its export header"),
    UNSUPPORTED_VERSION("export version is not 5, 9 or 10"),
    V5_RECORDS_OVERRUN("v5 record count does not fit in the packet"),
    MESSAGE_LENGTH_INVALID("IPFIX message length is shorter than its header"),
    MESSAGE_TRUNCATED("IPFIX message length exceeds the datagram"),
    SET_LENGTH_TOO_SHORT("set length below 4 bytes"),
    SET_OVERRUNS_MESSAGE("set length runs past the end of the message"),
    TEMPLATE_OVERRUNS_SET("template record runs past the end of its set"),
    TEMPLATE_ID_INVALID("template id below 256"),
    FIELD_COUNT_INVALID("template field or scope count is invalid"),
    TEMPLATE_LIMIT_REACHED("template cache is full; template ignored"),
    ZERO_LENGTH_RECORD("template defines zero-length records"),
    VARIABLE_LENGTH_OVERRUN("variable-length field runs past the end of its set");

    private final String description;

    DecodeProblem(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
