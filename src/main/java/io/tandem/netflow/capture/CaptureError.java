package io.tandem.netflow.capture;

/** Where (byte offset in the capture) and why reading a capture stopped. */
public record CaptureError(long offset, CaptureProblem problem) {

    public String reason() {
        return problem.description();
    }
}
