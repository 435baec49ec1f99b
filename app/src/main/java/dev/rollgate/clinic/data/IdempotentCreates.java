package dev.rollgate.clinic.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Creates that happen at most once per idempotency key.
 *
 * <p>The key is claimed, the row written and the response stored in <em>one</em> transaction. So when a
 * commit succeeded but its acknowledgement was lost, the retry — ours or the client's — finds the key and
 * returns the stored response instead of writing again. Two concurrent requests with the same key
 * serialise on the key's primary key: the second waits for the first and then replays its answer. The claim
 * is PostgreSQL's {@code INSERT … ON CONFLICT DO NOTHING} through the ORM session (JPA has no "insert unless
 * present" that waits for a concurrent insert of the same key).
 *
 * <p>A repeat must be the same request: the first request's fingerprint (SHA-256 of its JSON) is stored with
 * the answer, and a key that comes back with another body is refused ({@link IdempotencyKeyReusedException},
 * 422) rather than answered with the first request's result.
 *
 * <p>Requests without an {@code Idempotency-Key} get a random server-side key, which still makes the data
 * layer's own retries safe.
 */
@Singleton
public class IdempotentCreates {

    /** First line of a stored body: {@code request-sha256=<base64url>}; records without it replay unchecked. */
    static final String FINGERPRINT_PREFIX = "request-sha256=";

    private final AwaitReadyDatabase database;
    private final ObjectMapper json;
    private final Clock clock;

    @Inject
    public IdempotentCreates(AwaitReadyDatabase database, ObjectMapper json, Clock clock) {
        this.database = database;
        this.json = json;
        this.clock = clock;
    }

    /**
     * @param scope which kind of resource, e.g. "patients"; the same key may be used once per scope
     * @param clientKey the request's Idempotency-Key header, or null
     * @param request the request's body, whose fingerprint a repeat must match
     * @param write inserts the resource and returns its representation (answered with 201)
     */
    public StoredResponse create(String scope, String clientKey, Object request, SqlWork<?> write) {
        String key = clientKey != null ? clientKey : "server-" + UUID.randomUUID();
        String fingerprint = fingerprint(request);
        return database.inTransaction(session -> {
            Optional<IdempotencyRecord> earlier = claim(session, scope, key);
            if (earlier.isPresent()) {
                return replay(earlier.get(), fingerprint);
            }
            StoredResponse response = new StoredResponse(201, toJson(write.run(session)), false);
            session.createMutationQuery("update IdempotencyRecord r set r.responseStatus = :status, "
                            + "r.responseBody = :body where r.scope = :scope and r.idempotencyKey = :key")
                    .setParameter("status", response.status())
                    .setParameter("body", FINGERPRINT_PREFIX + fingerprint + "\n" + response.body())
                    .setParameter("scope", scope)
                    .setParameter("key", key)
                    .executeUpdate();
            return response;
        });
    }

    /** Deletes records older than {@code retention}; a client retrying after that gets a second write. */
    public int purgeOlderThan(Duration retention) {
        return database.inTransaction(
                session -> session.createMutationQuery("delete from IdempotencyRecord r where r.createdAt < :cutoff")
                        .setParameter("cutoff", clock.instant().minus(retention))
                        .executeUpdate());
    }

    /** Claims the key, or returns the record of whoever claimed it first (after its transaction ended). */
    private static Optional<IdempotencyRecord> claim(Session session, String scope, String key) {
        int claimed = session.createNativeMutationQuery(
                        "INSERT INTO idempotency_keys (scope, key) VALUES (:scope, :key) ON CONFLICT DO NOTHING")
                .setParameter("scope", scope)
                .setParameter("key", key)
                .executeUpdate();
        if (claimed == 1) {
            return Optional.empty();
        }
        return Optional.of(session.find(IdempotencyRecord.class, new IdempotencyRecord.Id(scope, key)));
    }

    private static StoredResponse replay(IdempotencyRecord record, String fingerprint) {
        String stored = record.responseBody;
        String body = stored;
        if (stored.startsWith(FINGERPRINT_PREFIX)) {
            int newline = stored.indexOf('\n');
            if (!stored.substring(FINGERPRINT_PREFIX.length(), newline).equals(fingerprint)) {
                throw new IdempotencyKeyReusedException();
            }
            body = stored.substring(newline + 1);
        }
        return new StoredResponse(record.responseStatus, body, true);
    }

    private String fingerprint(Object request) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(toJson(request).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private String toJson(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
