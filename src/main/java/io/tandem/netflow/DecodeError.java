package io.tandem.netflow;

/** A decode failure: byte offset from the start of the export packet, and the reason. */
public record DecodeError(int offset, DecodeProblem problem) {

    public String reason() {
        return problem.description();
    }
}
