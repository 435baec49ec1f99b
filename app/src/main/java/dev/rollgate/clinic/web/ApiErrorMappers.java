package dev.rollgate.clinic.web;

import dev.rollgate.clinic.data.DataAccessException;
import dev.rollgate.clinic.data.DatabaseNotReadyException;
import dev.rollgate.clinic.data.IdempotencyKeyReusedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns data-layer and validation failures into answers a client can act on. Only genuine bugs (bad SQL)
 * become 500: "not ready" is 503 with Retry-After, a refused write 409, invalid input 400, an idempotency key
 * reused for another request 422.
 */
public class ApiErrorMappers {

    private static final Logger LOG = Logger.getLogger(ApiErrorMappers.class);
    /** 422: jakarta.ws.rs.core.Response.Status has no constant for it. */
    static final Response.StatusType UNPROCESSABLE_ENTITY = new Response.StatusType() {
        @Override
        public int getStatusCode() {
            return 422;
        }

        @Override
        public Response.Status.Family getFamily() {
            return Response.Status.Family.CLIENT_ERROR;
        }

        @Override
        public String getReasonPhrase() {
            return "Unprocessable Content";
        }
    };
    /** Seconds. The prober retries every 250 ms at most, so a client coming back after a second finds any recovery. */
    static final String RETRY_AFTER_SECONDS = "1";

    /** Constraint names from the migrations, in words. */
    private static final Map<String, String> CONFLICTS = Map.of(
            "patients_email_unique", "a patient with this email already exists",
            "appointments_no_overlap", "the practitioner already has an appointment overlapping this slot",
            "appointments_patient_id_fkey", "the patient does not exist");

    @ServerExceptionMapper
    public Response notReady(DatabaseNotReadyException e) {
        return Response.fromResponse(
                        ApiError.response(Status.SERVICE_UNAVAILABLE, "DATABASE_NOT_READY", e.getMessage()))
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .build();
    }

    @ServerExceptionMapper
    public Response dataAccess(DataAccessException e) {
        switch (e.errorClass()) {
            case CONFLICT:
                return ApiError.response(
                        Status.CONFLICT,
                        "CONFLICT",
                        CONFLICTS.getOrDefault(e.constraint(), "the write conflicts with existing data"));
            case INVALID_DATA:
                return ApiError.response(
                        Status.BAD_REQUEST,
                        "INVALID_INPUT",
                        e.serverDetail() != null ? e.serverDetail() : "invalid value");
            default:
                LOG.error("Database failure that is not the client's fault", e);
                return ApiError.response(Status.INTERNAL_SERVER_ERROR, "INTERNAL", "internal error");
        }
    }

    @ServerExceptionMapper
    public Response keyReused(IdempotencyKeyReusedException e) {
        return ApiError.response(UNPROCESSABLE_ENTITY, "IDEMPOTENCY_KEY_REUSED", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        String reasons = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(ApiErrorMappers::describe)
                .collect(Collectors.joining("; "));
        return ApiError.response(Status.BAD_REQUEST, "INVALID_INPUT", reasons);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return ApiError.response(Status.NOT_FOUND, "NOT_FOUND", e.getMessage());
    }

    /** "create.patient.email: must be a well-formed email address" → "email: must be ...". */
    private static String describe(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        String field = path.substring(path.lastIndexOf('.') + 1);
        return field + ": " + violation.getMessage();
    }
}
