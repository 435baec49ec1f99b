package dev.rollgate.clinic.data;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A row of {@code idempotency_keys}: one create request, claimed by its {@code (scope, key)} and answered in
 * the create's own transaction. Rows are inserted by {@link IdempotentCreates} with
 * {@code INSERT … ON CONFLICT DO NOTHING} (so that a concurrent repeat waits for the first), never persisted
 * through the ORM.
 *
 * <p>{@code response_body} holds the request's fingerprint on its first line, then the answer's body (see
 * {@link IdempotentCreates}); V1's schema has no column for it, and a migration for one line was not worth
 * a schema change every replica must wait for.
 */
@Entity
@Table(name = "idempotency_keys")
@IdClass(IdempotencyRecord.Id.class)
class IdempotencyRecord {

    /** The composite primary key. */
    static final class Id implements Serializable {
        String scope;
        String idempotencyKey;

        Id() {
            // for Hibernate
        }

        Id(String scope, String idempotencyKey) {
            this.scope = scope;
            this.idempotencyKey = idempotencyKey;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Id id && scope.equals(id.scope) && idempotencyKey.equals(id.idempotencyKey);
        }

        @Override
        public int hashCode() {
            return Objects.hash(scope, idempotencyKey);
        }
    }

    @jakarta.persistence.Id
    String scope;

    @jakarta.persistence.Id
    @Column(name = "key")
    String idempotencyKey;

    @Column(name = "response_status")
    Integer responseStatus;

    @Column(name = "response_body")
    String responseBody;

    @Column(name = "created_at", insertable = false, updatable = false)
    Instant createdAt;
}
