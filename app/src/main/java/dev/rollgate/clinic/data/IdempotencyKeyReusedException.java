package dev.rollgate.clinic.data;

/**
 * An {@code Idempotency-Key} came back with a different request body than the one it was first used with.
 * Replaying the first answer would tell the client its second request succeeded when it did not; writing
 * would break the key's promise. The web layer answers 422, and nothing is written.
 */
public final class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException() {
        super("this Idempotency-Key was already used with a different request body; use a new key");
    }
}
