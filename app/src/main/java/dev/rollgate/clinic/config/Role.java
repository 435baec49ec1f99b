package dev.rollgate.clinic.config;

/**
 * What this process does. One image serves both tiers; the operator starts the same image twice
 * with a different {@code CLINIC_ROLE}.
 */
public enum Role {
    /** Serves the HTTP API under {@code /api}. */
    API,
    /** Runs the reminder job loop; serves only the health endpoints. */
    WORKER,
    /**
     * Applies the Flyway migrations once the database answers, then exits: 0 when the schema is
     * current, 1 when a migration failed (the reason goes to the log and the termination message).
     * What Rollgate's migration Job runs ({@code ROLLGATE_ROLE=migrate}).
     */
    MIGRATE;

    /** The worker answers health probes but not the API, so a stray route to it fails loudly. */
    public boolean servesApi() {
        return this == API;
    }
}
