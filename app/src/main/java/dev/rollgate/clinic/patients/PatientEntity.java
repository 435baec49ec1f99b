package dev.rollgate.clinic.patients;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import org.hibernate.annotations.Generated;

/**
 * A row of {@code patients} (migration V1). The id is the table's identity column and {@code created_at} its
 * {@code DEFAULT now()}: both come back from the insert ({@code INSERT … RETURNING}), so a patient is never
 * read twice to be answered.
 */
@Entity
@Table(name = "patients")
public class PatientEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(nullable = false)
    String name;

    @Column(nullable = false)
    String email;

    @Column(name = "birth_date", nullable = false)
    LocalDate birthDate;

    @Generated
    @Column(name = "created_at", insertable = false, updatable = false)
    Instant createdAt;

    protected PatientEntity() {
        // for Hibernate
    }

    PatientEntity(NewPatient patient) {
        this.name = patient.name();
        this.email = patient.email();
        this.birthDate = patient.birthDate();
    }

    public long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String email() {
        return email;
    }

    Patient toPatient() {
        return new Patient(id, name, email, birthDate, createdAt);
    }
}
