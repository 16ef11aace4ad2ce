package io.tandem.datastore;

/** The console cannot use its data directory or database; {@link #action()} says what to do. */
public class DataStoreException extends RuntimeException {

    private final String action;

    public DataStoreException(String message, String action) {
        super(message);
        this.action = action;
    }

    public DataStoreException(String message, String action, Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
