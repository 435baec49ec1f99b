package dev.rollgate.clinic.reminders;

import java.time.Instant;

/** What a reminder says: who, with whom, when. */
public record Reminder(
        long jobId,
        long appointmentId,
        String patientName,
        String patientEmail,
        String practitioner,
        Instant startsAt) {}
