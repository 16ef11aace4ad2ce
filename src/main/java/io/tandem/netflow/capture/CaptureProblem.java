package io.tandem.netflow.capture;

/** Why a capture file or stream could not be read to its end. */
public enum CaptureProblem {
    NOT_A_CAPTURE("not a pcap or pcapng file"),
    TRUNCATED("capture ends in the middle of a record"),
    RECORD_TOO_LARGE("record length exceeds the capture limit"),
    BLOCK_LENGTH_INVALID("pcapng block length is invalid"),
    UNKNOWN_INTERFACE("pcapng packet refers to an undeclared interface"),
    READ_FAILED("the capture could not be read");

    private final String description;

    CaptureProblem(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
