package dev.rollgate.operator.owned;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.api.Autoscaling;
import dev.rollgate.operator.api.Disruption;
import io.fabric8.kubernetes.api.model.IntOrString;
import org.junit.jupiter.api.Test;

/** The api tier's HorizontalPodAutoscaler and PodDisruptionBudget, and the replicas Rollgate leaves to the HPA. */
class ApiTierPoliciesTest {
    static final String IMAGE = "registry.example.com/clinic:1.4.1";

    static ApiDeployment autoscaled(int min, int max) {
        ApiDeployment cr = OwnedObjectsTest.cr();
        cr.getSpec().api.autoscaling = new Autoscaling();
        cr.getSpec().api.autoscaling.minReplicas = min;
        cr.getSpec().api.autoscaling.maxReplicas = max;
        return cr;
    }

    @Test
    void noAutoscalingNoHpaAndTheSpecsReplicas() {
        ApiDeployment cr = OwnedObjectsTest.cr();
        assertThat(ApiTierPolicies.autoscaler(cr)).isEmpty();
        var d = OwnedObjects.deployment(cr, Tier.API, IMAGE);
        assertThat(d.getSpec().getReplicas()).isEqualTo(cr.getSpec().api.replicas);
        assertThat(d.getMetadata().getAnnotations()).doesNotContainKey(OwnedObjects.REPLICAS_ANNOTATION);
    }

    @Test
    void autoscalingOwnsAnHpaOnTheApiDeploymentAndRollgateLeavesItsReplicasAlone() {
        ApiDeployment cr = autoscaled(2, 6);
        var hpa = ApiTierPolicies.autoscaler(cr).orElseThrow();
        assertThat(hpa.getMetadata().getName()).isEqualTo("clinic-api");
        assertThat(hpa.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("ApiDeployment"));
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("clinic-api");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(6);

        var api = OwnedObjects.deployment(cr, Tier.API, IMAGE);
        assertThat(api.getSpec().getReplicas())
                .as("not in the applied configuration")
                .isNull();
        assertThat(api.getMetadata().getAnnotations())
                .containsEntry(OwnedObjects.REPLICAS_ANNOTATION, OwnedObjects.REPLICAS_BY_AUTOSCALER);
        assertThat(OwnedObjects.deployment(cr, Tier.WORKER, IMAGE).getSpec().getReplicas())
                .as("the worker is not autoscaled")
                .isEqualTo(cr.getSpec().worker.replicas);
        var stopped = OwnedObjects.deployment(cr, Tier.API, IMAGE, true);
        assertThat(stopped.getSpec().getReplicas())
                .as("a restore stops the tier anyway")
                .isZero();
        assertThat(stopped.getMetadata().getAnnotations())
                .containsEntry(OwnedObjects.REPLICAS_ANNOTATION, OwnedObjects.REPLICAS_BY_ROLLGATE);
    }

    @Test
    void aBudgetOfOneUnavailablePodByDefaultWhenMoreThanOneRuns() {
        ApiDeployment cr = OwnedObjectsTest.cr();
        cr.getSpec().api.replicas = 3;
        var pdb = ApiTierPolicies.disruptionBudget(cr).orElseThrow();
        assertThat(pdb.getMetadata().getName()).isEqualTo("clinic-api");
        assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
        assertThat(pdb.getSpec().getMinAvailable()).isNull();
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(Labels.selector(cr, Tier.API));
    }

    @Test
    void noBudgetForASinglePodUnlessAsked() {
        ApiDeployment cr = OwnedObjectsTest.cr();
        cr.getSpec().api.replicas = 1;
        assertThat(ApiTierPolicies.disruptionBudget(cr))
                .as("it would block every drain")
                .isEmpty();
        assertThat(ApiTierPolicies.disruptionBudget(autoscaled(1, 4)))
                .as("the HPA may run more")
                .isPresent();
        cr.getSpec().api.disruption = new Disruption();
        cr.getSpec().api.disruption.minAvailable = new IntOrString("50%");
        assertThat(ApiTierPolicies.disruptionBudget(cr).orElseThrow().getSpec().getMinAvailable())
                .isEqualTo(new IntOrString("50%"));
    }

    @Test
    void disabledMeansNoBudget() {
        ApiDeployment cr = OwnedObjectsTest.cr();
        cr.getSpec().api.replicas = 4;
        cr.getSpec().api.disruption = new Disruption();
        cr.getSpec().api.disruption.enabled = false;
        assertThat(ApiTierPolicies.disruptionBudget(cr)).isEmpty();
    }
}
