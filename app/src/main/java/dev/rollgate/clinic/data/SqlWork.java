package dev.rollgate.clinic.data;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A unit of work run inside one transaction by {@link AwaitReadyDatabase}. It may be run more than once
 * (after a transient failure), so it must not have effects outside the transaction that a repeat would
 * duplicate — or it must make the repeat harmless, as {@link IdempotentCreates} does.
 */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
