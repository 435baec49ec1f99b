package dev.rollgate.clinic.data;

/** What a database failure means for the caller; decided by {@link SqlErrorClassifier}. */
public enum SqlErrorClass {
    /**
     * The connection could not be opened or was lost (08xxx, 57P01–57P03, I/O errors). Retried, and the
     * data layer turns not-ready until a probe reaches the database again.
     */
    CONNECTION(true),
    /**
     * The database is there but refused this attempt for a passing reason: serialization failure
     * (40001), deadlock (40P01), too many connections (53300), pool exhausted. Retried with backoff.
     */
    TRANSIENT(true),
    /** An integrity constraint refused the write (23xxx): the answer is 409, retrying cannot help. */
    CONFLICT(false),
    /** The data itself is invalid (22xxx): the answer is 400. */
    INVALID_DATA(false),
    /** Bad SQL and anything unknown: a bug, reported as 500 and never retried. */
    PERMANENT(false);

    private final boolean retryable;

    SqlErrorClass(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
