package dev.rollgate.clinic.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Startup;

/**
 * Liveness and startup: the process is up and answering. Deliberately blind to the database — a database
 * outage must make pods unready, never restart them (a restart cannot fix the database and throws away
 * the warm data layer).
 */
@Liveness
@Startup
@ApplicationScoped
public class ProcessLivenessCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.up("process");
    }
}
