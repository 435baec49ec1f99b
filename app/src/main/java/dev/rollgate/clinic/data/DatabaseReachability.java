package dev.rollgate.clinic.data;

import dev.rollgate.clinic.config.ClinicConfig;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.time.Clock;

/**
 * Answers "is the database reachable?" for the readiness probe, cheaply.
 *
 * <p>A successful check, or any committed transaction, vouches for the database for
 * {@code clinic.db.reachability-check-interval} (1 s). Within that window the probe costs a clock read;
 * after it, one {@link Connection#isValid} with a short timeout. So a busy pod never queries the database
 * for its probes, and an idle pod notices a lost database on the first probe after the window.
 */
@Singleton
public class DatabaseReachability {

    private final AgroalDataSource dataSource;
    private final DataLayerInitializer initializer;
    private final ReadinessGate gate;
    private final SqlErrorClassifier classifier;
    private final Clock clock;
    private final long intervalMillis;
    private final int validationTimeoutSeconds;

    private volatile long confirmedAtMillis;
    private volatile boolean everConfirmed;

    @Inject
    public DatabaseReachability(
            AgroalDataSource dataSource,
            DataLayerInitializer initializer,
            ReadinessGate gate,
            SqlErrorClassifier classifier,
            Clock clock,
            ClinicConfig config) {
        this.dataSource = dataSource;
        this.initializer = initializer;
        this.gate = gate;
        this.classifier = classifier;
        this.clock = clock;
        this.intervalMillis = config.db().reachabilityCheckInterval().toMillis();
        this.validationTimeoutSeconds = config.db().validationTimeoutSeconds();
    }

    /** Records that the database just answered. */
    public void confirmed() {
        confirmedAtMillis = clock.millis();
        everConfirmed = true;
    }

    public boolean isReachable() {
        if (!gate.isOpen()) {
            return false; // initialising, or the prober is already reconnecting
        }
        if (recentlyConfirmed()) {
            return true;
        }
        synchronized (this) { // concurrent probes share one check
            return recentlyConfirmed() || check();
        }
    }

    private boolean recentlyConfirmed() {
        return everConfirmed && clock.millis() - confirmedAtMillis < intervalMillis;
    }

    private boolean check() {
        try (Connection connection = dataSource.getConnection()) {
            if (connection.isValid(validationTimeoutSeconds)) {
                confirmed();
                return true;
            }
            initializer.connectionLost(new SQLRecoverableException("connection failed validation", "08006"));
        } catch (SQLException e) {
            // A busy pool says nothing about the database; only a connection-class failure means it is gone.
            if (classifier.classify(e) == SqlErrorClass.CONNECTION) {
                initializer.connectionLost(e);
            }
        }
        return false;
    }
}
