package dev.rollgate.clinic.appointments;

import dev.rollgate.clinic.patients.PatientEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Generated;

/**
 * A row of {@code appointments}. Double booking is refused by the table's exclusion constraint
 * ({@code appointments_no_overlap}, SQLState 23P01) when the insert is flushed, not by a check here: two
 * concurrent bookings cannot both pass.
 */
@Entity
@Table(name = "appointments")
public class AppointmentEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "patient_id", nullable = false)
    PatientEntity patient;

    /** The same column as {@link #patient}, read-only: answers the patient's id without loading the patient. */
    @Column(name = "patient_id", insertable = false, updatable = false)
    long patientId;

    @Column(nullable = false)
    String practitioner;

    @Column(name = "starts_at", nullable = false)
    Instant startsAt;

    @Column(name = "ends_at", nullable = false)
    Instant endsAt;

    @Generated
    @Column(name = "created_at", insertable = false, updatable = false)
    Instant createdAt;

    protected AppointmentEntity() {
        // for Hibernate
    }

    AppointmentEntity(PatientEntity patient, long patientId, NewAppointment appointment) {
        this.patient = patient;
        this.patientId = patientId;
        this.practitioner = appointment.practitioner();
        this.startsAt = appointment.startsAt();
        this.endsAt = appointment.endsAt();
    }

    public long id() {
        return id;
    }

    public PatientEntity patient() {
        return patient;
    }

    public String practitioner() {
        return practitioner;
    }

    public Instant startsAt() {
        return startsAt;
    }

    Appointment toAppointment() {
        return new Appointment(id, patientId, practitioner, startsAt, endsAt, createdAt);
    }
}
