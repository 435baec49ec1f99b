package dev.rollgate.clinic.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hibernate.Session;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

/**
 * The seed's first two bugs, in Java terms: the ORM's session must never be handed out before the ORM is
 * usable (callers wait for the shared one, bounded, with a clear error), and an ORM initialisation failure
 * must be retryable, not fatal.
 */
class OrmSessionsTest {

    private final Session session = (Session) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {Session.class}, (proxy, method, args) -> {
                throw new UnsupportedOperationException(method.getName());
            });

    @Test
    void noSessionIsHandedOutBeforeTheOrmIsUsableAndTheWaitIsBoundedWithAClearError() {
        OrmSessions sessions = new OrmSessions(() -> session, proved -> {});

        long started = System.nanoTime();
        DatabaseNotReadyException notReady =
                assertThrows(DatabaseNotReadyException.class, () -> sessions.await(200, TimeUnit.MILLISECONDS));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertTrue(waited >= 190 && waited < 2000, "waited " + waited + " ms");
        assertTrue(notReady.getMessage().contains("ORM session factory is not initialised yet"), notReady.getMessage());
        assertFalse(sessions.isUsable());
    }

    @Test
    void callersWaitingForTheSessionAllGetTheSharedOneOnceItIsUsable() throws Exception {
        OrmSessions sessions = new OrmSessions(() -> session, proved -> {});
        CompletableFuture<Session> first = CompletableFuture.supplyAsync(() -> sessions.await(10, TimeUnit.SECONDS));
        CompletableFuture<Session> second = CompletableFuture.supplyAsync(() -> sessions.await(10, TimeUnit.SECONDS));
        TimeUnit.MILLISECONDS.sleep(100);
        assertFalse(first.isDone() || second.isDone(), "nobody gets a session before initialise()");

        sessions.initialise();

        assertSame(session, first.get(5, TimeUnit.SECONDS));
        assertSame(session, second.get(5, TimeUnit.SECONDS));
        assertSame(session, sessions.await(0, TimeUnit.MILLISECONDS), "once usable, no wait at all");
    }

    @Test
    void anOrmInitialisationFailureIsRetryableAndALaterAttemptSucceeds() {
        AtomicInteger proofs = new AtomicInteger();
        OrmSessions sessions = new OrmSessions(() -> session, proved -> {
            if (proofs.incrementAndGet() == 1) {
                throw new JDBCConnectionException(
                        "Unable to acquire JDBC Connection", new java.sql.SQLException("refused", "08001"));
            }
        });

        OrmInitialisationException failure = assertThrows(OrmInitialisationException.class, sessions::initialise);
        assertTrue(new SqlErrorClassifier().classify(failure).retryable(), "ORM initialisation failures are retried");
        assertFalse(sessions.isUsable(), "a failed proof hands nothing out");

        sessions.initialise();
        assertTrue(sessions.isUsable());
        assertEquals(2, proofs.get());
        sessions.initialise();
        assertEquals(2, proofs.get(), "initialise() is idempotent once usable");
    }

    @Test
    void aSessionBeanThatCannotBeResolvedYetIsAnInitialisationFailureToo() {
        OrmSessions sessions = new OrmSessions(
                () -> {
                    throw new IllegalStateException("persistence unit not started");
                },
                proved -> {});
        OrmInitialisationException failure = assertThrows(OrmInitialisationException.class, sessions::initialise);
        assertEquals(SqlErrorClass.CONNECTION, new SqlErrorClassifier().classify(failure));
    }
}
