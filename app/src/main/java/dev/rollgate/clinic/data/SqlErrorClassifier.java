package dev.rollgate.clinic.data;

import io.quarkus.narayana.jta.QuarkusTransactionException;
import jakarta.inject.Singleton;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.PessimisticLockException;
import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.HeuristicRollbackException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.SystemException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import javax.transaction.xa.XAException;
import org.hibernate.JDBCException;
import org.hibernate.exception.JDBCConnectionException;
import org.hibernate.exception.LockAcquisitionException;
import org.hibernate.service.spi.ServiceException;

/**
 * Sorts database failures into {@link SqlErrorClass}es by SQLState and exception type — never by message
 * text, which changes with server version and locale.
 *
 * <p>Drivers, pools and the ORM wrap: Agroal reports a refused connection as a plain SQLException whose cause
 * is the driver's PSQLException with SQLState 08001, and Hibernate ORM wraps that again in a
 * {@link JDBCException} (which carries the SQLState too), the transaction manager in its own exceptions. So
 * the whole cause chain is searched, SQLStates first (they are the most precise), exception types second.
 */
@Singleton
public final class SqlErrorClassifier {

    public SqlErrorClass classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            String state = stateOf(t);
            if (state != null) {
                return byState(state);
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

    /**
     * Whether {@code failure} came from the database, the ORM or the transaction manager — and so is this
     * classifier's to judge — rather than from the application's own code (a 404, a refused idempotency
     * key), which passes through the data layer untouched.
     */
    public boolean concernsTheDatabase(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof SQLException
                    || t instanceof PersistenceException
                    || t instanceof IOException
                    || t instanceof OrmInitialisationException
                    || t instanceof QuarkusTransactionException
                    || t instanceof XAException
                    || t instanceof RollbackException
                    || t instanceof SystemException
                    || t instanceof HeuristicMixedException
                    || t instanceof HeuristicRollbackException) {
                return true;
            }
        }
        return false;
    }

    private static SqlErrorClass byType(Throwable t) {
        if (t instanceof DatabaseNotReadyException
                || t instanceof SQLTransientConnectionException
                || t instanceof SQLNonTransientConnectionException
                || t instanceof SQLRecoverableException
                || t instanceof IOException
                // Hibernate ORM: a connection could not be obtained or was lost
                || t instanceof JDBCConnectionException
                // Hibernate ORM not initialised yet, or one of its services failed to start: retry, never fail
                || t instanceof OrmInitialisationException
                || t instanceof ServiceException
                // the transaction manager could not tell whether the commit happened (idempotent writes make a
                // retry safe)
                || t instanceof XAException
                || t instanceof HeuristicMixedException
                || t instanceof HeuristicRollbackException
                || t instanceof SystemException) {
            return SqlErrorClass.CONNECTION;
        }
        if (t instanceof SQLTransientException
                || t instanceof PoolExhaustedException
                || t instanceof LockAcquisitionException
                || t instanceof PessimisticLockException
                || t instanceof LockTimeoutException
                // rolled back, so nothing was written: another attempt is safe
                || t instanceof RollbackException) {
            return SqlErrorClass.TRANSIENT;
        }
        return null;
    }

    /** The five-character SQLState of a JDBC or Hibernate ORM exception, or null. */
    private static String stateOf(Throwable t) {
        String state = null;
        if (t instanceof SQLException sql) {
            state = sql.getSQLState();
        } else if (t instanceof JDBCException jdbc) {
            state = jdbc.getSQLState();
        }
        return state != null && state.length() == 5 ? state : null;
    }

    private static Throwable next(Throwable t) {
        Throwable cause = t.getCause();
        return cause == t ? null : cause;
    }
}
