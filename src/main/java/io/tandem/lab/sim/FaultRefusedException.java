package io.tandem.lab.sim;

import java.io.Serial;

/** A fault that does not apply to the pair or node in its current state, with the reason in operator words. */
public final class FaultRefusedException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public FaultRefusedException(String message) {
        super(message);
    }
}
