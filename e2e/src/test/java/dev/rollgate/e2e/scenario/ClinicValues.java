package dev.rollgate.e2e.scenario;

import dev.rollgate.testkit.RealNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** The clinic chart's values, as a user's {@code -f values.yaml} would give them, for each kind of node. */
final class ClinicValues {
    private ClinicValues() {}

    /**
     * The clinic chart's values for the tests and the demo: simulated pods are ready within 2 s, so a
     * 1 s soak and a 60 s deadline keep a rollout short while still exercising both.
     */
    static Map<String, Object> simulated(String image) {
        return Map.of("clinic", Map.of("image", image, "rollout", Map.of("minReadySeconds", 1, "timeoutSeconds", 60)));
    }

    /**
     * Every pod on the real node (placement), PostgreSQL and the cache from the images built there;
     * {@code clinic} holds extra values of the {@code clinic} key (e.g. the rollout policy).
     */
    static Map<String, Object> onRealNode(RealNode node, String image, Map<String, Object> clinic) {
        Map<String, Object> app = new LinkedHashMap<>(clinic);
        app.put("image", image);
        return Map.of(
                "placement", node.placement(),
                "clinic", app,
                "postgres", Map.of("image", node.image("postgres"), "storage", Map.of("size", "1Gi")),
                "cache", Map.of("image", node.image("redis")));
    }
}
