package dev.rollgate.clinic.web;

import dev.rollgate.clinic.config.ClinicConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/info}: which build and role answer. Never touches the database. */
@Path("/api/info")
public class InfoResource {

    /** The answer of {@code GET /api/info}. */
    public record Info(String service, String version, String role) {}

    @Inject
    ClinicConfig config;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Info info() {
        return new Info("clinic", config.version(), config.role().name().toLowerCase());
    }
}
