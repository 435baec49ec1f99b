package dev.rollgate.clinic.data;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.hibernate.Session;

/**
 * Hands out the one shared Hibernate ORM session — Quarkus' transaction-scoped {@link Session} of the default
 * persistence unit — and never before it is usable.
 *
 * <p>"Usable" is proved, not assumed: {@link #initialise()} (called by {@link DataLayerInitializer} once the
 * database answers and the migrations ran) resolves the session bean and runs one ORM query against the
 * migrated schema in its own transaction. Until that succeeded, {@link #await} makes callers wait for the
 * shared session, bounded by their deadline, and then fails with a clear {@link DatabaseNotReadyException};
 * a failed proof is an {@link OrmInitialisationException}, which the classifier treats as retryable. Once
 * usable, {@link #await} is one volatile read.
 */
@Singleton
public class OrmSessions {

    /** Maps every entity's table and the query engine: the cheapest query that needs the whole ORM. */
    static final String PROOF = "select count(u) from UserAccount u";

    private final Supplier<Session> session;
    private final Consumer<Session> proof;
    /** Opens once, when {@link #shared} is set; never closes (a lost database closes the data layer's own gate). */
    private final ReadinessGate usable = new ReadinessGate();

    private volatile Session shared;

    @Inject
    public OrmSessions(Instance<Session> session) {
        this(session::get, OrmSessions::prove);
    }

    /** @param proof runs one unit of ORM work on the session; throws when the ORM is not usable */
    public OrmSessions(Supplier<Session> session, Consumer<Session> proof) {
        this.session = session;
        this.proof = proof;
    }

    /**
     * Does at boot, with no database, the part of {@link #initialise()} that needs none: the transaction
     * manager's first transaction, a session, and Hibernate's interpretation of the proof query (parsed and
     * cached). In a cold JVM that class loading and parsing is most of what {@link #initialise()} would
     * otherwise spend after the database became reachable. Never connects (start-offline, and a session takes
     * its connection lazily, at the first statement); a failure is left for {@link #initialise()} to meet.
     *
     * @return whether the warm-up ran through
     */
    public boolean warmUp() {
        try {
            Session candidate = session.get();
            QuarkusTransaction.requiringNew().run(() -> candidate.createSelectionQuery(PROOF, Long.class));
            return true;
        } catch (RuntimeException failure) {
            return false;
        }
    }

    /** Makes the shared session usable, or throws {@link OrmInitialisationException} (retry later). Idempotent. */
    public void initialise() {
        if (shared != null) {
            return;
        }
        Session candidate;
        try {
            candidate = session.get();
            proof.accept(candidate);
        } catch (RuntimeException failure) {
            throw new OrmInitialisationException("Hibernate ORM is not usable yet", failure);
        }
        shared = candidate;
        usable.open();
    }

    public boolean isUsable() {
        return shared != null;
    }

    /**
     * The shared session once it is usable, waiting for it until {@code deadlineNanos} (a
     * {@link System#nanoTime()} value).
     *
     * @throws DatabaseNotReadyException when the deadline passes first
     */
    public Session await(long deadlineNanos) {
        Session session = shared;
        if (session != null) {
            return session;
        }
        try {
            usable.awaitOpen(deadlineNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (shared == null) {
            throw new DatabaseNotReadyException(
                    "The ORM session factory is not initialised yet (waiting for the database and its migrations); "
                            + "try again shortly",
                    null);
        }
        return shared;
    }

    /** Waits at most {@code timeout} for the shared session. */
    public Session await(long timeout, TimeUnit unit) {
        return await(System.nanoTime() + unit.toNanos(timeout));
    }

    private static void prove(Session session) {
        QuarkusTransaction.requiringNew()
                .run(() -> session.createSelectionQuery(PROOF, Long.class).getSingleResult());
    }
}
