package dev.rollgate.clinic.appointments;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * The body of {@code POST /api/patients/{id}/appointments}. A slot that overlaps another appointment of
 * the same practitioner is refused by the database (exclusion constraint), answered with 409.
 */
public record NewAppointment(
        @NotBlank @Size(max = 200) String practitioner,
        @NotNull Instant startsAt,
        @NotNull Instant endsAt) {

    @JsonIgnore
    @AssertTrue(message = "endsAt must be after startsAt")
    public boolean isEndAfterStart() {
        return startsAt == null || endsAt == null || endsAt.isAfter(startsAt);
    }
}
