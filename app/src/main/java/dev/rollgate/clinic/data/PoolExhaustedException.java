package dev.rollgate.clinic.data;

import java.sql.SQLException;

/**
 * The pool gave no connection in time. Agroal reports this as a bare SQLException without SQLState, so
 * {@link AwaitReadyDatabase} wraps unclassifiable failures of the acquire step in this type: a full pool
 * is a passing condition, worth a retry.
 */
public final class PoolExhaustedException extends SQLException {

    public PoolExhaustedException(SQLException cause) {
        super("no connection available from the pool", null, cause);
    }
}
