package dev.rollgate.clinic.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransactionException;
import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.RollbackException;
import java.io.EOFException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.stream.Stream;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.DataException;
import org.hibernate.exception.GenericJDBCException;
import org.hibernate.exception.JDBCConnectionException;
import org.hibernate.exception.LockAcquisitionException;
import org.hibernate.exception.SQLGrammarException;
import org.hibernate.service.spi.ServiceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** One row per failure the data layer can meet, with the class it must get. */
class SqlErrorClassifierTest {

    private final SqlErrorClassifier classifier = new SqlErrorClassifier();

    static Stream<Arguments> failures() {
        return Stream.of(
                // connection class 08: refused, broken, lost mid-statement
                row("08001 connection refused", state("08001"), SqlErrorClass.CONNECTION),
                row("08006 connection failure", state("08006"), SqlErrorClass.CONNECTION),
                row("08003 connection does not exist", state("08003"), SqlErrorClass.CONNECTION),
                row(
                        "driver's own 08001",
                        new PSQLException("refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT),
                        SqlErrorClass.CONNECTION),
                // server going away or not there yet
                row("57P01 admin shutdown", state("57P01"), SqlErrorClass.CONNECTION),
                row("57P02 crash shutdown", state("57P02"), SqlErrorClass.CONNECTION),
                row("57P03 cannot connect now (starting up)", state("57P03"), SqlErrorClass.CONNECTION),
                // passing refusals
                row("40001 serialization failure", state("40001"), SqlErrorClass.TRANSIENT),
                row("40P01 deadlock", state("40P01"), SqlErrorClass.TRANSIENT),
                row("53300 too many connections", state("53300"), SqlErrorClass.TRANSIENT),
                row(
                        "pool exhausted (no SQLState)",
                        new PoolExhaustedException(new SQLException("timeout")),
                        SqlErrorClass.TRANSIENT),
                row("SQLTimeoutException without state", new SQLTimeoutException("slow"), SqlErrorClass.TRANSIENT),
                row(
                        "SQLTransientConnectionException",
                        new SQLTransientConnectionException("gone"),
                        SqlErrorClass.CONNECTION),
                row(
                        "SQLNonTransientConnectionException",
                        new SQLNonTransientConnectionException("gone"),
                        SqlErrorClass.CONNECTION),
                row(
                        "data layer not ready yet",
                        new DatabaseNotReadyException("initialising", null),
                        SqlErrorClass.CONNECTION),
                // wrapped: the pool wraps the driver; the driver wraps I/O
                row(
                        "Agroal wrapper around 08001",
                        new SQLException("could not create", null, state("08001")),
                        SqlErrorClass.CONNECTION),
                row(
                        "I/O error under a stateless wrapper",
                        new SQLException("io", new EOFException()),
                        SqlErrorClass.CONNECTION),
                row(
                        "ConnectException cause",
                        new SQLException("io", new ConnectException("refused")),
                        SqlErrorClass.CONNECTION),
                row(
                        "state wins over wrapper type",
                        new SQLTransientConnectionException("x", "23505"),
                        SqlErrorClass.CONFLICT),
                // never retried
                row("23505 unique violation", state("23505"), SqlErrorClass.CONFLICT),
                row("23P01 exclusion violation", state("23P01"), SqlErrorClass.CONFLICT),
                row("23503 foreign key violation", state("23503"), SqlErrorClass.CONFLICT),
                row("22001 string too long", state("22001"), SqlErrorClass.INVALID_DATA),
                row("22P02 invalid text representation", state("22P02"), SqlErrorClass.INVALID_DATA),
                row("42P01 undefined table", state("42P01"), SqlErrorClass.PERMANENT),
                row("42601 syntax error", state("42601"), SqlErrorClass.PERMANENT),
                row("57014 statement timeout / cancelled", state("57014"), SqlErrorClass.PERMANENT),
                row("bare SQLException", new SQLException("???"), SqlErrorClass.PERMANENT),
                row(
                        "message says 'connection' but state is 42",
                        new SQLException("connection lost", "42703"),
                        SqlErrorClass.PERMANENT),
                row("unrelated runtime exception", new IllegalStateException("bug"), SqlErrorClass.PERMANENT),
                // Hibernate ORM: its JDBCException carries the SQLState; its wrappers around connection loss
                row(
                        "ORM constraint violation 23505",
                        new ConstraintViolationException("dup", state("23505"), "uq"),
                        SqlErrorClass.CONFLICT),
                row(
                        "ORM JDBCException, state on the ORM exception only",
                        new GenericJDBCException("x", new SQLException("no state"), "select 1") {
                            @Override
                            public String getSQLState() {
                                return "40001";
                            }
                        },
                        SqlErrorClass.TRANSIENT),
                row(
                        "ORM cannot acquire a connection (08001 below)",
                        new JDBCConnectionException(
                                "acquire", new SQLException("could not create", null, state("08001"))),
                        SqlErrorClass.CONNECTION),
                row(
                        "ORM connection exception without state",
                        new JDBCConnectionException("lost", new SQLException("?")),
                        SqlErrorClass.CONNECTION),
                row(
                        "ORM lock acquisition without state",
                        new LockAcquisitionException("lock", new SQLException("?")),
                        SqlErrorClass.TRANSIENT),
                row(
                        "ORM exception wrapped by the transaction manager",
                        new QuarkusTransactionException(new RollbackException("rolled back")),
                        SqlErrorClass.TRANSIENT),
                row(
                        "commit outcome unknown",
                        new QuarkusTransactionException(new HeuristicMixedException("?")),
                        SqlErrorClass.CONNECTION),
                // ORM initialisation failures are retryable
                row(
                        "ORM not initialised yet",
                        new OrmInitialisationException("not yet", new IllegalStateException("?")),
                        SqlErrorClass.CONNECTION),
                row(
                        "ORM service failed to start",
                        new ServiceException("Unable to create requested service"),
                        SqlErrorClass.CONNECTION),
                row(
                        "ORM initialisation failed on a refused connection",
                        new OrmInitialisationException("not yet", new JDBCConnectionException("x", state("08001"))),
                        SqlErrorClass.CONNECTION),
                row(
                        "ORM query syntax error (42601) is a bug",
                        new SQLGrammarException("x", state("42601")),
                        SqlErrorClass.PERMANENT),
                row("ORM data error 22001", new DataException("x", state("22001")), SqlErrorClass.INVALID_DATA));
    }

    @ParameterizedTest(name = "{0} → {2}")
    @MethodSource("failures")
    void classifiesByStateAndType(String description, Throwable failure, SqlErrorClass expected) {
        assertEquals(expected, classifier.classify(failure));
    }

    @Test
    void onlyDatabaseOrmAndTransactionFailuresAreTheClassifiersToJudge() {
        assertTrue(classifier.concernsTheDatabase(state("23505")));
        assertTrue(classifier.concernsTheDatabase(new JDBCConnectionException("x", new SQLException("?"))));
        assertTrue(classifier.concernsTheDatabase(new QuarkusTransactionException(new RollbackException("?"))));
        assertTrue(classifier.concernsTheDatabase(new OrmInitialisationException("?", null)));
        assertFalse(classifier.concernsTheDatabase(new jakarta.ws.rs.NotFoundException("no patient 7")));
        assertFalse(classifier.concernsTheDatabase(new IdempotencyKeyReusedException()));
    }

    private static Arguments row(String description, Throwable failure, SqlErrorClass expected) {
        return Arguments.of(description, failure, expected);
    }

    private static SQLException state(String sqlState) {
        return new SQLException("server said " + sqlState, sqlState);
    }
}
