package dev.rollgate.clinic.appointments;

import dev.rollgate.clinic.patients.PatientEntity;
import dev.rollgate.clinic.reminders.ReminderJob;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hibernate.Session;

/** Appointments and the reminder outbox they feed, through Hibernate ORM. */
@ApplicationScoped
public class AppointmentRepository {

    /**
     * Books the slot and enqueues its reminder in the caller's transaction: both happen or neither does,
     * so no appointment lacks a reminder and no reminder points at a rolled-back appointment.
     *
     * @param reminderLeadTime the reminder is due this long before the start (or {@code now}, if that is past)
     */
    public Appointment book(
            Session session, long patientId, NewAppointment appointment, Duration reminderLeadTime, Instant now) {
        // A reference, not a load: the caller has checked that the patient exists, and the foreign key holds.
        AppointmentEntity booked =
                new AppointmentEntity(session.getReference(PatientEntity.class, patientId), patientId, appointment);
        session.persist(booked); // identity column: inserted now, so an overlap (23P01) surfaces here
        Instant due = appointment.startsAt().minus(reminderLeadTime);
        session.persist(new ReminderJob(booked, due.isAfter(now) ? due : now));
        return booked.toAppointment();
    }

    public List<Appointment> ofPatient(Session session, long patientId) {
        return session
                .createSelectionQuery(
                        "from AppointmentEntity a where a.patientId = :patient order by a.startsAt, a.id",
                        AppointmentEntity.class)
                .setParameter("patient", patientId)
                .getResultList()
                .stream()
                .map(AppointmentEntity::toAppointment)
                .toList();
    }
}
