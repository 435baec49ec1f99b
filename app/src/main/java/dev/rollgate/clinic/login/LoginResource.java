package dev.rollgate.clinic.login;

import dev.rollgate.clinic.data.AwaitReadyDatabase;
import dev.rollgate.clinic.web.ApiError;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a username and password against the stored hash: 200 or 401. This is the request that failed
 * with "client not ready" in the incident behind Rollgate; here it waits for the data layer instead.
 */
@Path("/api/login")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LoginResource {

    @Inject
    AwaitReadyDatabase database;

    @Inject
    PasswordHasher hasher;

    @POST
    public Response login(@NotNull @Valid Credentials credentials) {
        Optional<String> storedHash = database.inTransaction(
                session -> Optional.ofNullable(session.find(UserAccount.class, credentials.username()))
                        .map(UserAccount::passwordHash));
        // Hashing runs outside the transaction: it is slow on purpose and must not hold a connection.
        char[] password = credentials.password().toCharArray();
        boolean valid = storedHash.map(hash -> hasher.matches(password, hash)).orElseGet(() -> hasher.decoy(password));
        if (!valid) {
            return ApiError.response(
                    Response.Status.UNAUTHORIZED, "INVALID_CREDENTIALS", "unknown user or wrong password");
        }
        return Response.ok(Map.of("username", credentials.username(), "authenticated", true))
                .build();
    }
}
