package io.tandem.datastore;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a data-store failure at start into Spring Boot's "APPLICATION FAILED TO START" text. */
class DataStoreFailureAnalyzer extends AbstractFailureAnalyzer<DataStoreException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DataStoreException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
