package dev.rollgate.testkit;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Locale;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 side of {@link LocalKubernetes}: makes sure the cluster is up before the first test
 * class that uses it, releases it when the whole test plan is done (JUnit closes the
 * AutoCloseable values of the root context's store last), and resolves parameters. Use it through {@link WithKubernetes}.
 */
public final class KubernetesExtension implements BeforeAllCallback, ParameterResolver {
    private static final Namespace STORE = Namespace.create(KubernetesExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalKubernetes.class || type == KubernetesClient.class || type == TestNamespace.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        LocalKubernetes cluster = cluster(context);
        if (type == LocalKubernetes.class) {
            return cluster;
        }
        if (type == KubernetesClient.class) {
            return cluster.client();
        }
        // A fresh namespace per parameter, deleted when the context that asked for it closes: the
        // test method for a method parameter, the class for a @BeforeAll parameter.
        TestNamespace namespace = cluster.createNamespace(namePrefix(context));
        context.getStore(STORE).put(namespace, namespace); // JUnit closes AutoCloseable values of a store
        return namespace;
    }

    private static LocalKubernetes cluster(ExtensionContext context) {
        // The root store outlives every test class of this JVM; JUnit closes it at the very end.
        return context.getRoot()
                .getStore(STORE)
                .getOrComputeIfAbsent(Lease.class, k -> new Lease(LocalKubernetes.get()), Lease.class)
                .cluster;
    }

    /** "RolloutIT.rollsBack" becomes "rolloutit-rollsback". */
    private static String namePrefix(ExtensionContext context) {
        String name = context.getRequiredTestClass().getSimpleName()
                + context.getTestMethod().map(m -> "-" + m.getName()).orElse("");
        return name.toLowerCase(Locale.ROOT);
    }

    /** This JVM's use of the cluster; closing it lets the cluster stop if nobody else uses it. */
    private static final class Lease implements AutoCloseable {
        final LocalKubernetes cluster;

        Lease(LocalKubernetes cluster) {
            this.cluster = cluster;
        }

        @Override
        public void close() {
            cluster.release();
        }
    }
}
