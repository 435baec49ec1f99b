package dev.rollgate.clinic.data;

import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Creates that happen at most once per idempotency key.
 *
 * <p>The key is claimed, the row written and the response stored in <em>one</em> transaction. So when a
 * commit succeeded but its acknowledgement was lost, the retry — ours or the client's — finds the key and
 * returns the stored response instead of writing again. Two concurrent requests with the same key
 * serialise on the key's primary key: the second waits for the first and then replays its answer.
 *
 * <p>Requests without an {@code Idempotency-Key} get a random server-side key, which still makes the data
 * layer's own retries safe.
 */
@Singleton
public class IdempotentCreates {

    private final AwaitReadyDatabase database;
    private final ObjectMapper json;

    @Inject
    public IdempotentCreates(AwaitReadyDatabase database, ObjectMapper json) {
        this.database = database;
        this.json = json;
    }

    /**
     * @param scope which kind of resource, e.g. "patients"; the same key may be used once per scope
     * @param clientKey the request's Idempotency-Key header, or null
     * @param write inserts the resource and returns its representation (answered with 201)
     */
    public StoredResponse create(String scope, String clientKey, SqlWork<?> write) {
        String key = clientKey != null ? clientKey : "server-" + UUID.randomUUID();
        return database.inTransaction(connection -> {
            Optional<StoredResponse> earlier = claim(connection, scope, key);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            StoredResponse response = new StoredResponse(201, toJson(write.run(connection)), false);
            record(connection, scope, key, response);
            return response;
        });
    }

    /** Deletes records older than {@code retention}; a client retrying after that gets a second write. */
    public int purgeOlderThan(Duration retention) {
        return database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM idempotency_keys WHERE created_at < now() - ?::interval")) {
                delete.setString(1, retention.toSeconds() + " seconds");
                return delete.executeUpdate();
            }
        });
    }

    private static Optional<StoredResponse> claim(Connection connection, String scope, String key)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO idempotency_keys (scope, key) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, scope);
            insert.setString(2, key);
            if (insert.executeUpdate() == 1) {
                return Optional.empty();
            }
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT response_status, response_body FROM idempotency_keys WHERE scope = ? AND key = ?")) {
            select.setString(1, scope);
            select.setString(2, key);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return Optional.of(new StoredResponse(row.getInt(1), row.getString(2), true));
            }
        }
    }

    private static void record(Connection connection, String scope, String key, StoredResponse response)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE idempotency_keys SET response_status = ?, response_body = ? WHERE scope = ? AND key = ?")) {
            update.setInt(1, response.status());
            update.setString(2, response.body());
            update.setString(3, scope);
            update.setString(4, key);
            update.executeUpdate();
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
