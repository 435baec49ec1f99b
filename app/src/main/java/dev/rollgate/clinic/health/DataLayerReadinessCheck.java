package dev.rollgate.clinic.health;

import dev.rollgate.clinic.data.DataLayerInitializer;
import dev.rollgate.clinic.data.DatabaseReachability;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready = the data layer is initialised (migrations done) AND the database is reachable. The operator's
 * rollout gate counts a pod only once this says UP, so a pod that would answer 503 never takes traffic.
 */
@Readiness
@ApplicationScoped
public class DataLayerReadinessCheck implements HealthCheck {

    @Inject
    DataLayerInitializer initializer;

    @Inject
    DatabaseReachability reachability;

    @Override
    public HealthCheckResponse call() {
        boolean initialised = initializer.isInitialised();
        boolean reachable = initialised && reachability.isReachable();
        return HealthCheckResponse.named("data-layer")
                .status(initialised && reachable)
                .withData("initialised", initialised)
                .withData("reachable", reachable)
                .build();
    }
}
