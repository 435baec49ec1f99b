package dev.rollgate.clinic.appointments;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

/** SQL for appointments and the reminder outbox they feed. */
@ApplicationScoped
public class AppointmentRepository {

    private static final String COLUMNS = "id, patient_id, practitioner, starts_at, ends_at, created_at";

    /**
     * Books the slot and enqueues its reminder in the caller's transaction: both happen or neither does,
     * so no appointment lacks a reminder and no reminder points at a rolled-back appointment.
     *
     * @param reminderLeadTime the reminder is due this long before the start (or now, if that is past)
     */
    public Appointment book(Connection connection, long patientId, NewAppointment appointment,
            Duration reminderLeadTime) throws SQLException {
        Appointment booked;
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO appointments (patient_id, practitioner, starts_at, ends_at) VALUES (?, ?, ?, ?) "
                        + "RETURNING " + COLUMNS)) {
            insert.setLong(1, patientId);
            insert.setString(2, appointment.practitioner());
            insert.setObject(3, utc(appointment.startsAt()));
            insert.setObject(4, utc(appointment.endsAt()));
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                booked = read(row);
            }
        }
        try (PreparedStatement enqueue = connection.prepareStatement(
                "INSERT INTO reminder_jobs (appointment_id, run_after) "
                        + "VALUES (?, GREATEST(now(), ? - make_interval(secs => ?)))")) {
            enqueue.setLong(1, booked.id());
            enqueue.setObject(2, utc(booked.startsAt()));
            enqueue.setDouble(3, reminderLeadTime.toSeconds());
            enqueue.executeUpdate();
        }
        return booked;
    }

    public List<Appointment> ofPatient(Connection connection, long patientId) throws SQLException {
        List<Appointment> appointments = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM appointments WHERE patient_id = ? ORDER BY starts_at, id")) {
            select.setLong(1, patientId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    appointments.add(read(rows));
                }
            }
        }
        return appointments;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Appointment read(ResultSet row) throws SQLException {
        return new Appointment(row.getLong("id"), row.getLong("patient_id"), row.getString("practitioner"),
                instant(row, "starts_at"), instant(row, "ends_at"), instant(row, "created_at"));
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class).toInstant();
    }
}
