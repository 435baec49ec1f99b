package dev.rollgate.clinic.login;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code users}: a login name and its PBKDF2 hash (see {@link PasswordHasher}). Read-only here. */
@Entity
@Table(name = "users")
public class UserAccount {

    @Id
    String username;

    @Column(name = "password_hash", nullable = false)
    String passwordHash;

    protected UserAccount() {
        // for Hibernate
    }

    String passwordHash() {
        return passwordHash;
    }
}
