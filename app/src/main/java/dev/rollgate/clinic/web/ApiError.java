package dev.rollgate.clinic.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The body of every error answer: a machine-readable code and a human message, e.g.
 * {@code {"error":"DATABASE_NOT_READY","message":"The database is still initialising; try again shortly"}}.
 */
public record ApiError(String error, String message) {

    public static Response response(Response.StatusType status, String error, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(error, message))
                .build();
    }
}
