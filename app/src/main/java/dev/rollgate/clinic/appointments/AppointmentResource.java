package dev.rollgate.clinic.appointments;

import dev.rollgate.clinic.config.ClinicConfig;
import dev.rollgate.clinic.data.AwaitReadyDatabase;
import dev.rollgate.clinic.data.IdempotentCreates;
import dev.rollgate.clinic.patients.PatientRepository;
import dev.rollgate.clinic.web.IdempotencyKey;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.List;

@Path("/api/patients/{patientId}/appointments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AppointmentResource {

    @Inject
    AwaitReadyDatabase database;

    @Inject
    IdempotentCreates creates;

    @Inject
    PatientRepository patients;

    @Inject
    AppointmentRepository appointments;

    @Inject
    ClinicConfig config;

    @Inject
    Clock clock;

    @POST
    public Response book(
            @PathParam("patientId") long patientId,
            @HeaderParam(IdempotencyKey.HEADER) @IdempotencyKey String idempotencyKey,
            @NotNull @Valid NewAppointment appointment) {
        return creates.create("appointments:" + patientId, idempotencyKey, appointment, session -> {
                    requirePatient(patientId, patients.exists(session, patientId));
                    return appointments.book(
                            session, patientId, appointment, config.worker().reminderLeadTime(), clock.instant());
                })
                .toResponse();
    }

    @GET
    public List<Appointment> list(@PathParam("patientId") long patientId) {
        return database.inTransaction(session -> {
            requirePatient(patientId, patients.exists(session, patientId));
            return appointments.ofPatient(session, patientId);
        });
    }

    private static void requirePatient(long patientId, boolean exists) {
        if (!exists) {
            throw new NotFoundException("no patient " + patientId);
        }
    }
}
