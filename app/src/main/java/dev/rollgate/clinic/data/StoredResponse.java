package dev.rollgate.clinic.data;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The HTTP answer to a create, kept with its idempotency key so a repeat gets exactly the same status and
 * body.
 *
 * @param replayed true when this answer was read back for a repeated key rather than produced now
 */
public record StoredResponse(int status, String body, boolean replayed) {

    /** Set on answers to a repeated key, so clients and tests can tell a replay from a first write. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    public Response toResponse() {
        Response.ResponseBuilder builder =
                Response.status(status).type(MediaType.APPLICATION_JSON).entity(body);
        if (replayed) {
            builder.header(REPLAYED_HEADER, "true");
        }
        return builder.build();
    }
}
