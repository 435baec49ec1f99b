package dev.rollgate.clinic.patients;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/** SQL for patients. Runs inside a transaction handed out by the await-ready data layer. */
@ApplicationScoped
public class PatientRepository {

    private static final String COLUMNS = "id, name, email, birth_date, created_at";

    public Patient insert(Connection connection, NewPatient patient) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO patients (name, email, birth_date) VALUES (?, ?, ?) RETURNING " + COLUMNS)) {
            insert.setString(1, patient.name());
            insert.setString(2, patient.email());
            insert.setObject(3, patient.birthDate());
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return read(row);
            }
        }
    }

    public Optional<Patient> find(Connection connection, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM patients WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        }
    }

    public boolean exists(Connection connection, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM patients WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    public PatientPage page(Connection connection, int page, int size) throws SQLException {
        List<Patient> items = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM patients ORDER BY id LIMIT ? OFFSET ?")) {
            select.setInt(1, size);
            select.setLong(2, (long) page * size);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    items.add(read(rows));
                }
            }
        }
        try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM patients");
                ResultSet row = count.executeQuery()) {
            row.next();
            return new PatientPage(items, page, size, row.getLong(1));
        }
    }

    private static Patient read(ResultSet row) throws SQLException {
        return new Patient(row.getLong("id"), row.getString("name"), row.getString("email"),
                row.getObject("birth_date", LocalDate.class), row.getTimestamp("created_at").toInstant());
    }
}
