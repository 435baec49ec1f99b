package dev.rollgate.clinic.appointments;

import java.time.Instant;

/** An appointment as the API returns it; the slot is the half-open interval [startsAt, endsAt). */
public record Appointment(
        long id, long patientId, String practitioner, Instant startsAt, Instant endsAt, Instant createdAt) {}
