package io.tandem.datastore;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/** Tells a database that is not answering (down, stalled, too slow) apart from other database errors. */
public final class DatabaseUnavailable {

    /** Admin or crash shutdown, cannot connect now, statement timeout (query canceled). */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "57014");

    private DatabaseUnavailable() {
    }

    /** True when {@code failure} or one of its causes says the database did not answer in time. */
    public static boolean isCause(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 32; depth++, cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof SocketTimeoutException) {
                return true; // the pool waited in vain for a connection, or a read timed out
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return true; // connection failures (class 08) and the states above
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
