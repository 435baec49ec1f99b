package dev.rollgate.clinic.data;

import dev.rollgate.clinic.config.ClinicConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Opens one connection straight through the JDBC driver, past the pool, to learn whether PostgreSQL
 * accepts connections right now.
 *
 * <p>Why not the pool: when the database refuses connections, an Agroal {@code getConnection()} takes about
 * a second to report it, which alone would spend the whole "reachable → ready" budget. The driver answers a
 * refused TCP connect at once, so the initialiser can probe every 50–250 ms.
 */
@Singleton
public class DatabaseProbe {

    private final String url;
    private final Properties properties = new Properties();
    private final int validationTimeoutSeconds;
    private final org.postgresql.Driver driver = new org.postgresql.Driver();

    @Inject
    public DatabaseProbe(
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
            @ConfigProperty(
                            name = "quarkus.datasource.jdbc.additional-jdbc-properties.connectTimeout",
                            defaultValue = "3")
                    String connectTimeoutSeconds,
            ClinicConfig config) {
        this.url = url;
        username.ifPresent(user -> properties.setProperty("user", user));
        password.ifPresent(secret -> properties.setProperty("password", secret));
        properties.setProperty("connectTimeout", connectTimeoutSeconds);
        properties.setProperty("ApplicationName", "clinic-readiness-probe");
        this.validationTimeoutSeconds = config.db().validationTimeoutSeconds();
    }

    /** Returns normally when the database accepted a connection; throws the driver's failure otherwise. */
    public void connect() throws SQLException {
        try (Connection connection = driver.connect(url, properties)) {
            if (connection == null) {
                throw new SQLException("not a PostgreSQL JDBC URL: " + url, "08001");
            }
            if (!connection.isValid(validationTimeoutSeconds)) {
                throw new SQLRecoverableException("connection failed validation", "08006");
            }
        }
    }
}
