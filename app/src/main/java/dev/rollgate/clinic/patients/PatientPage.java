package dev.rollgate.clinic.patients;

import java.util.List;

/** One page of {@code GET /api/patients}, oldest first. */
public record PatientPage(List<Patient> items, int page, int size, long total) {}
