package dev.rollgate.clinic.config;

/**
 * What this process does. One image serves both tiers; the operator starts the same image twice
 * with a different {@code CLINIC_ROLE}.
 */
public enum Role {
    /** Serves the HTTP API under {@code /api}. */
    API,
    /** Runs the reminder job loop; serves only the health endpoints. */
    WORKER;

    /** The worker answers health probes but not the API, so a stray route to it fails loudly. */
    public boolean servesApi() {
        return this == API;
    }
}
