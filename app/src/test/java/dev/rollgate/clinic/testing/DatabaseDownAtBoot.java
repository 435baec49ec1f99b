package dev.rollgate.clinic.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The app boots while its PostgreSQL is still stopped; the test starts and stops it. The await bound is
 * short so "503 within the bound" is quick to prove, yet longer than the outage the test stages.
 */
public class DatabaseDownAtBoot implements QuarkusTestProfile {

    public static final long AWAIT_TIMEOUT_MILLIS = 5000;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("clinic.db.await-timeout", AWAIT_TIMEOUT_MILLIS + "ms");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(
                PostgresResource.class, Map.of(PostgresResource.START, "false", "name", "lifecycle")));
    }
}
