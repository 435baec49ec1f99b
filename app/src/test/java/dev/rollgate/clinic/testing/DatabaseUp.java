package dev.rollgate.clinic.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The app boots with its PostgreSQL already running: the everyday case, for API and worker tests. */
public class DatabaseUp implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresResource.class, Map.of("name", "api")));
    }
}
