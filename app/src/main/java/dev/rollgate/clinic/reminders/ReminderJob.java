package dev.rollgate.clinic.reminders;

import dev.rollgate.clinic.appointments.AppointmentEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A row of the reminder outbox {@code reminder_jobs}: written in the appointment's transaction, claimed and
 * finished by the worker in one transaction each.
 */
@Entity
@Table(name = "reminder_jobs")
public class ReminderJob {

    /** A job's life: PENDING until delivered (DONE) or given up after max attempts (PARKED). */
    public enum Status {
        PENDING,
        DONE,
        PARKED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "appointment_id", nullable = false)
    AppointmentEntity appointment;

    @Column(nullable = false)
    @Enumerated(EnumType.STRING)
    Status status = Status.PENDING;

    @Column(nullable = false)
    int attempts;

    @Column(name = "last_error")
    String lastError;

    @Column(name = "run_after", nullable = false)
    Instant runAfter;

    @Column(name = "finished_at")
    Instant finishedAt;

    protected ReminderJob() {
        // for Hibernate
    }

    public ReminderJob(AppointmentEntity appointment, Instant runAfter) {
        this.appointment = appointment;
        this.runAfter = runAfter;
    }

    Reminder toReminder() {
        return new Reminder(
                id,
                appointment.id(),
                appointment.patient().name(),
                appointment.patient().email(),
                appointment.practitioner(),
                appointment.startsAt());
    }

    void delivered(Instant now) {
        attempts++;
        status = Status.DONE;
        finishedAt = now;
    }

    /** Counts the failed attempt; parks the job at {@code maxAttempts}, else retries it after {@code retryAfter}. */
    void failed(RuntimeException failure, int maxAttempts, Instant now, Instant retryAfter) {
        attempts++;
        lastError = String.valueOf(failure);
        runAfter = retryAfter;
        if (attempts >= maxAttempts) {
            status = Status.PARKED;
            finishedAt = now;
        }
    }
}
