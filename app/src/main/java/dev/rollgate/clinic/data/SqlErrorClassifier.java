package dev.rollgate.clinic.data;

import jakarta.inject.Singleton;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;

/**
 * Sorts database failures into {@link SqlErrorClass}es by SQLState and exception type — never by message
 * text, which changes with server version and locale.
 *
 * <p>Drivers and pools wrap: Agroal reports a refused connection as a plain SQLException whose cause is the
 * driver's PSQLException with SQLState 08001. So the whole cause chain is searched, SQLStates first (they
 * are the most precise), exception types second.
 */
@Singleton
public final class SqlErrorClassifier {

    public SqlErrorClass classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof SQLException sql && hasState(sql)) {
                return byState(sql.getSQLState());
            }
        }
        for (Throwable t = failure; t != null; t = next(t)) {
            SqlErrorClass byType = byType(t);
            if (byType != null) {
                return byType;
            }
        }
        return SqlErrorClass.PERMANENT;
    }

    /** SQLState classes and codes as listed in PostgreSQL's "Appendix A. Error Codes". */
    static SqlErrorClass byState(String state) {
        switch (state) {
            case "40001": // serialization_failure
            case "40P01": // deadlock_detected
            case "53300": // too_many_connections
                return SqlErrorClass.TRANSIENT;
            case "57P01": // admin_shutdown: the server is stopping and closed our session
            case "57P02": // crash_shutdown
            case "57P03": // cannot_connect_now: the server is starting up
                return SqlErrorClass.CONNECTION;
            default:
                break;
        }
        switch (state.substring(0, 2)) {
            case "08":
                return SqlErrorClass.CONNECTION;
            case "23":
                return SqlErrorClass.CONFLICT;
            case "22":
                return SqlErrorClass.INVALID_DATA;
            default:
                return SqlErrorClass.PERMANENT;
        }
    }

    private static SqlErrorClass byType(Throwable t) {
        if (t instanceof DatabaseNotReadyException
                || t instanceof SQLTransientConnectionException
                || t instanceof SQLNonTransientConnectionException
                || t instanceof SQLRecoverableException
                || t instanceof IOException) {
            return SqlErrorClass.CONNECTION;
        }
        if (t instanceof SQLTransientException || t instanceof PoolExhaustedException) {
            return SqlErrorClass.TRANSIENT;
        }
        return null;
    }

    private static boolean hasState(SQLException sql) {
        String state = sql.getSQLState();
        return state != null && state.length() == 5;
    }

    private static Throwable next(Throwable t) {
        Throwable cause = t.getCause();
        return cause == t ? null : cause;
    }
}
