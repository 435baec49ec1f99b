package dev.rollgate.clinic.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a Quarkus test its own PostgreSQL. With the argument {@code start=false} the server is created but
 * left stopped, so the app boots with its database down; the test starts it through the
 * {@link InjectPostgres} field.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    public static final String START = "start";

    private PostgresServer server;
    private boolean startAtBoot = true;
    private String name = "it";

    @Override
    public void init(Map<String, String> initArgs) {
        startAtBoot = !"false".equals(initArgs.get(START));
        name = initArgs.getOrDefault("name", name);
    }

    @Override
    public Map<String, String> start() {
        server = PostgresServer.create(name);
        if (startAtBoot) {
            server.start();
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", server.jdbcUrl(),
                "quarkus.datasource.username", PostgresServer.USER,
                "quarkus.datasource.password", PostgresServer.PASSWORD);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                server, new TestInjector.AnnotatedAndMatchesType(InjectPostgres.class, PostgresServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
