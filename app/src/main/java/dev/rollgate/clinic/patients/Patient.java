package dev.rollgate.clinic.patients;

import java.time.Instant;
import java.time.LocalDate;

/** A patient as the API returns it. */
public record Patient(long id, String name, String email, LocalDate birthDate, Instant createdAt) {}
