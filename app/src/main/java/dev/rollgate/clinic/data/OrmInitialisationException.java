package dev.rollgate.clinic.data;

/**
 * Hibernate ORM could not be made usable yet: its session factory was not there, or the first session
 * against the migrated schema failed. Always retryable ({@link SqlErrorClass#CONNECTION} unless a SQLState
 * in the cause says otherwise): the data layer stays not ready and {@link DataLayerInitializer} tries again
 * with its backoff. This is the Java form of the seed's "client not ready" errors, which were not retried.
 */
public final class OrmInitialisationException extends RuntimeException {

    public OrmInitialisationException(String message, Throwable cause) {
        super(message, cause);
    }
}
