package io.tandem.audit;

public enum Outcome {
    SUCCESS, FAILURE, DENIED
}
