package dev.rollgate.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against a real Kubernetes API server: the local cluster of
 * {@code e2e/cluster} (started on first use, built on the very first), or the existing cluster
 * named by {@code ROLLGATE_KUBECONFIG}. Test methods and lifecycle methods may declare parameters
 * of type {@link LocalKubernetes}, {@link io.fabric8.kubernetes.client.KubernetesClient} (the
 * shared admin client) and {@link TestNamespace} (a fresh namespace, deleted when the method — or,
 * in a {@code @BeforeAll} method, the class — is done, whether it passed or not).
 *
 * <pre>{@code
 * @WithKubernetes
 * class RolloutIT {
 *   @Test
 *   void rollsOut(KubernetesClient client, TestNamespace ns) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KubernetesExtension.class)
public @interface WithKubernetes {}
