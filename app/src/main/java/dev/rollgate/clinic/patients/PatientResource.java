package dev.rollgate.clinic.patients;

import dev.rollgate.clinic.data.AwaitReadyDatabase;
import dev.rollgate.clinic.data.IdempotentCreates;
import dev.rollgate.clinic.web.IdempotencyKey;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/patients")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PatientResource {

    @Inject
    AwaitReadyDatabase database;

    @Inject
    IdempotentCreates creates;

    @Inject
    PatientRepository patients;

    @POST
    public Response create(
            @HeaderParam(IdempotencyKey.HEADER) @IdempotencyKey String idempotencyKey,
            @NotNull @Valid NewPatient patient) {
        return creates.create("patients", idempotencyKey, patient, session -> patients.insert(session, patient))
                .toResponse();
    }

    @GET
    @Path("/{id}")
    public Patient get(@PathParam("id") long id) {
        return database.inTransaction(session -> patients.find(session, id))
                .orElseThrow(() -> new NotFoundException("no patient " + id));
    }

    @GET
    public PatientPage list(
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        return database.inTransaction(session -> patients.page(session, page, size));
    }
}
