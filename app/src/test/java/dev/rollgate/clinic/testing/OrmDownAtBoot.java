package dev.rollgate.clinic.testing;

import java.util.List;
import java.util.Map;

/**
 * Like {@link DatabaseDownAtBoot}, with a PostgreSQL of its own: for the ORM-specific start-up tests, which
 * need a process that has never seen its database.
 */
public class OrmDownAtBoot extends DatabaseDownAtBoot {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(
                new TestResourceEntry(PostgresResource.class, Map.of(PostgresResource.START, "false", "name", "orm")));
    }
}
