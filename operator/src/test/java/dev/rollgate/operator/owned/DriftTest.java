package dev.rollgate.operator.owned;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeployment;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which hand edits of an owned object make Rollgate apply it again although its spec hash is unchanged. */
class DriftTest {
    private final ApiDeployment cr = OwnedObjectsTest.cr();
    private final Deployment desired = OwnedObjects.deployment(cr, Tier.API, "clinic:1");
    private final Deployment live = OwnedObjects.deployment(cr, Tier.API, "clinic:1");

    @Test
    void anUntouchedDeploymentIsNotAppliedAgain() {
        assertThat(Drift.unchanged(Drift.DEPLOYMENT, live, desired)).isTrue();
    }

    @Test
    void aScaledOrRetaggedDeploymentIsPutBack() {
        live.getSpec().setReplicas(5);
        assertThat(Drift.unchanged(Drift.DEPLOYMENT, live, desired)).isFalse();
        Deployment retagged = OwnedObjects.deployment(cr, Tier.API, "clinic:1");
        retagged.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("clinic:hotfix");
        assertThat(Drift.unchanged(Drift.DEPLOYMENT, retagged, desired)).isFalse();
    }

    @Test
    void replicasLeftToTheAutoscalerAreNotRollgatesToCorrect() {
        desired.getSpec().setReplicas(null);
        live.getSpec().setReplicas(7);
        assertThat(Drift.unchanged(Drift.DEPLOYMENT, live, desired)).isTrue();
    }

    @Test
    void anEditOfAFieldNotListedStaysUntilTheDesiredObjectChanges() {
        live.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv()
                .add(new EnvVarBuilder().withName("DEBUG").withValue("1").build());
        assertThat(Drift.unchanged(Drift.DEPLOYMENT, live, desired)).isTrue();
    }

    @Test
    void aServiceWithAnotherSelectorOrNoPortsIsPutBack() {
        Service wanted = OwnedObjects.service(cr);
        assertThat(Drift.unchanged(Drift.SERVICE, OwnedObjects.service(cr), wanted))
                .isTrue();
        Service reselected = OwnedObjects.service(cr);
        reselected.getSpec().setSelector(Map.of("app", "other"));
        assertThat(Drift.unchanged(Drift.SERVICE, reselected, wanted)).isFalse();
        Service portless = OwnedObjects.service(cr);
        portless.getSpec().setPorts(List.of());
        assertThat(Drift.unchanged(Drift.SERVICE, portless, wanted))
                .as("the count is checked before the first port")
                .isFalse();
    }
}
