package io.tandem.operation;

/**
 * One journaled step of an operation. {@link Action#run} returns what the step found or did, in operator words;
 * it throws to fail the operation (the exception's message is the journal's detail).
 */
record Step(String name, Action action) {

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
