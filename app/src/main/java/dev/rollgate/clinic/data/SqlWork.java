package dev.rollgate.clinic.data;

import org.hibernate.Session;

/**
 * A unit of work run inside one transaction by {@link AwaitReadyDatabase}, on the shared Hibernate ORM
 * session of that transaction. It may be run more than once (after a transient failure), so it must not
 * have effects outside the transaction that a repeat would duplicate — or it must make the repeat harmless,
 * as {@link IdempotentCreates} does.
 */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Session session);
}
