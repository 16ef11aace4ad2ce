package io.tandem.operation;

/**
 * One journaled step of an operation. {@link Action#run} returns what the step found or did, in operator words;
 * it throws to fail the operation (the exception's message is the journal's detail).
 *
 * @param headline this step's detail sums up the whole operation when it succeeds (else the last step's does)
 */
record Step(String name, boolean headline, Action action) {

    Step(String name, Action action) {
        this(name, false, action);
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
