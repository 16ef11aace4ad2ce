package io.tandem.operation;

/**
 * One journaled step of an operation. {@link Action#run} returns what the step found or did, in operator words;
 * it throws to fail the operation (the exception's message is the journal's detail).
 *
 * @param headline this step's detail sums up the whole operation when it succeeds (else the last step's does)
 * @param fix for a clean-up step (non-null), the operation that does its work again by hand: a clean-up runs like a
 *        {@code finally} block, whatever happened before it, and when it fails the pair carries a CRITICAL finding
 *        that offers this fix until it succeeds
 * @param ifInterrupted what to check and do next when the console stopped during this step; null: check the node
 */
record Step(String name, boolean headline, Fix fix, Action action, String ifInterrupted) {

    Step(String name, boolean headline, Fix fix, Action action) {
        this(name, headline, fix, action, null);
    }

    Step(String name, Action action) {
        this(name, false, null, action);
    }

    Step(String name, boolean headline, Action action) {
        this(name, headline, null, action);
    }

    /** A step that must run even when an earlier step failed, timed out or finished the operation early. */
    static Step cleanup(String name, Fix fix, Action action) {
        return new Step(name, false, java.util.Objects.requireNonNull(fix, "fix"), action);
    }

    boolean cleanup() {
        return fix != null;
    }

    /** The operation (kind and what it acts on) that repeats a clean-up by hand. */
    record Fix(OperationKind kind, String subject) {
    }

    /**
     * This step with what the operator should check and do next if the console stops while it runs (journaled with
     * the step, shown when a later console marks the operation INTERRUPTED).
     */
    Step ifInterrupted(String advice) {
        return new Step(name, headline, fix, action, advice);
    }

    /** This step doing {@code action} instead (e.g. wrapped to note a time), keeping its clean-up fix and advice. */
    Step with(boolean headline, Action action) {
        return new Step(name, headline, fix, action, ifInterrupted);
    }

    @FunctionalInterface
    interface Action {
        Result run() throws Exception;
    }

    /** @param finishEarly the operation has nothing left to do (e.g. the configurations were already identical) */
    record Result(String detail, boolean finishEarly) {
        static Result done(String detail) {
            return new Result(detail, false);
        }

        static Result nothingMoreToDo(String detail) {
            return new Result(detail, true);
        }
    }
}
