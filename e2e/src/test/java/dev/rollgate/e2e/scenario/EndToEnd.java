package dev.rollgate.e2e.scenario;

import dev.rollgate.testkit.SaveArtifactsOnFailure;
import dev.rollgate.testkit.WithKubernetes;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An end-to-end scenario on the cluster of {@link WithKubernetes}: each test method may take a
 * {@link RollgateStack} parameter — two fresh namespaces (the operator's and the app's) where it
 * installs the charts — and, when it fails, leaves the operator's log, the ApiDeployment and
 * {@code kubectl describe} in {@code target/test-artifacts/<class>.<method>/}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WithKubernetes
@ExtendWith({ScenarioExtension.class, SaveArtifactsOnFailure.class})
public @interface EndToEnd {}
