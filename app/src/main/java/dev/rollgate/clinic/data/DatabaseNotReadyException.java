package dev.rollgate.clinic.data;

/**
 * The data layer did not become ready (or the database stayed unavailable) within the caller's bound.
 * The web layer answers it with 503 DATABASE_NOT_READY and a Retry-After header.
 */
public final class DatabaseNotReadyException extends RuntimeException {

    public DatabaseNotReadyException(String message, Throwable lastFailure) {
        super(message, lastFailure);
    }
}
