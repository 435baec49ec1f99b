package dev.rollgate.e2e.scenario;

import static dev.rollgate.e2e.scenario.OperatorIdentityIT.assertForbidden;
import static dev.rollgate.e2e.scenario.RolloutLifecycleIT.BROKEN;
import static dev.rollgate.e2e.scenario.RolloutLifecycleIT.ROLLOUT;
import static dev.rollgate.e2e.scenario.RolloutLifecycleIT.V1;
import static dev.rollgate.e2e.scenario.RolloutLifecycleIT.V1_1;
import static dev.rollgate.testkit.ApiDeploymentView.API_VERSION;
import static dev.rollgate.testkit.ApiDeploymentView.KIND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.rollgate.testkit.ApiDeploymentView;
import dev.rollgate.testkit.Await;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator chart's view and edit ClusterRoles, folded by kube-controller-manager's
 * clusterrole-aggregation controller into Kubernetes' built-in {@code view}, {@code edit} and
 * {@code admin}: someone bound to {@code edit} in a namespace creates and rolls ApiDeployments there
 * with no grant of Rollgate's own, and someone bound to {@code view} reads them and cannot change
 * them.
 */
@EndToEnd
class AggregatedRolesIT {
    private static final String CHANGE_TICKET = "example.com/change-ticket";

    @Test
    void theBuiltInEditRoleRollsApiDeploymentsAndViewOnlyReadsThem(RollgateStack stack) throws InterruptedException {
        // given the operator chart (its aggregated roles are on by default), the operator and the clinic
        stack.installOperatorChart();
        stack.startOperator("aggregated-roles");
        stack.installClinic(V1);
        KubernetesClient admin = stack.admin();
        String ns = stack.appNamespace();
        // and, in the app's namespace, ServiceAccount editor bound to the built-in edit and viewer to view, nothing
        // else
        bindToBuiltInRole(admin, ns, "editor", "edit");
        bindToBuiltInRole(admin, ns, "viewer", "view");
        // once the aggregation controller has folded the chart's roles into the built-in ones
        Await.until(
                Duration.ofSeconds(60),
                "the built-in view, edit and admin ClusterRoles to cover apideployments",
                () -> grants(admin, "view", "watch")
                        && grants(admin, "edit", "patch")
                        && grants(admin, "admin", "delete"));

        try (KubernetesClient editor = stack.asAppServiceAccount("editor");
                KubernetesClient viewer = stack.asAppServiceAccount("viewer")) {
            // then the API server's own answers (SelfSubjectAccessReview, as kubectl auth can-i asks) say who may do
            // what
            for (String verb :
                    List.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection")) {
                assertThat(canI(editor, ns, verb, ""))
                        .as("editor may %s apideployments", verb)
                        .isTrue();
            }
            for (String verb : List.of("get", "list", "watch")) {
                assertThat(canI(viewer, ns, verb, ""))
                        .as("viewer may %s apideployments", verb)
                        .isTrue();
            }
            for (String verb : List.of("create", "update", "patch", "delete", "deletecollection")) {
                assertThat(canI(viewer, ns, verb, ""))
                        .as("viewer may %s apideployments", verb)
                        .isFalse();
            }
            // the status is the operator's memory: people read it, neither of them writes it
            assertThat(canI(viewer, ns, "get", "status")).isTrue();
            assertThat(canI(editor, ns, "patch", "status")).isFalse();
            assertThat(canI(editor, ns, "update", "status")).isFalse();

            // when the editor creates a second ApiDeployment with its own token
            apiDeployments(editor)
                    .inNamespace(ns)
                    .resource(new GenericKubernetesResourceBuilder()
                            .withApiVersion(API_VERSION)
                            .withKind(KIND)
                            .withNewMetadata()
                            .withName("web")
                            .endMetadata()
                            .addToAdditionalProperties(
                                    "spec",
                                    Map.of("image", V1, "rollout", Map.of("minReadySeconds", 1, "timeoutSeconds", 60)))
                            .build())
                    .create();
            ApiDeploymentView web = new ApiDeploymentView(admin, ns, "web");

            // then the operator rolls it out
            web.awaitPhase("Available", V1, ROLLOUT);

            // when the editor rolls it to a new image and annotates it, both by JSON merge patch (as kubectl rollgate
            // writes)
            apiDeployments(editor)
                    .inNamespace(ns)
                    .withName("web")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"image\":\"" + V1_1 + "\"}}");
            apiDeployments(editor)
                    .inNamespace(ns)
                    .withName("web")
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"annotations\":{\"" + CHANGE_TICKET + "\":\"CHG-1234\"}}}");

            // then both tiers roll to it
            web.awaitPhase("Available", V1_1, ROLLOUT);
            assertThat(web.tierImages()).containsOnly(entry("web-api", V1_1), entry("web-worker", V1_1));

            // and the viewer gets, lists and watches it, annotation included
            GenericKubernetesResource seen =
                    apiDeployments(viewer).inNamespace(ns).withName("web").get();
            assertThat(seen.getMetadata().getAnnotations()).containsEntry(CHANGE_TICKET, "CHG-1234");
            assertThat(apiDeployments(viewer).inNamespace(ns).list().getItems())
                    .extracting(d -> d.getMetadata().getName())
                    .containsExactlyInAnyOrder("clinic", "web");
            CountDownLatch watchedWeb = new CountDownLatch(1);
            try (Watch watch = apiDeployments(viewer).inNamespace(ns).watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, GenericKubernetesResource resource) {
                    if ("web".equals(resource.getMetadata().getName())) {
                        watchedWeb.countDown();
                    }
                }

                @Override
                public void onClose(WatcherException cause) {}
            })) {
                assertThat(watchedWeb.await(10, TimeUnit.SECONDS))
                        .as("the viewer's watch delivers web")
                        .isTrue();
            }

            // but the viewer's patch and delete are answered 403 Forbidden, and web is as the editor left it
            assertForbidden(() -> apiDeployments(viewer)
                    .inNamespace(ns)
                    .withName("web")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"image\":\"" + BROKEN + "\"}}"));
            assertForbidden(
                    () -> apiDeployments(viewer).inNamespace(ns).withName("web").delete());
            assertThat(web.read().path("spec").path("image").asText()).isEqualTo(V1_1);
            assertThat(web.read().path("metadata").path("deletionTimestamp").isMissingNode())
                    .isTrue();
        }
    }

    /** A ServiceAccount {@code name} in {@code ns}, with a RoleBinding there to the built-in ClusterRole {@code role}. */
    private static void bindToBuiltInRole(KubernetesClient admin, String ns, String name, String role) {
        admin.serviceAccounts()
                .inNamespace(ns)
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
        admin.rbac()
                .roleBindings()
                .inNamespace(ns)
                .resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName(name + "-" + role)
                        .endMetadata()
                        .withNewRoleRef()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("ClusterRole")
                        .withName(role)
                        .endRoleRef()
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName(name)
                        .withNamespace(ns)
                        .endSubject()
                        .build())
                .create();
    }

    /** Whether the built-in ClusterRole {@code role} has a rule granting {@code verb} on apideployments.rollgate.dev. */
    private static boolean grants(KubernetesClient admin, String role, String verb) {
        ClusterRole builtIn = admin.rbac().clusterRoles().withName(role).get();
        return builtIn != null
                && builtIn.getRules() != null
                && builtIn.getRules().stream()
                        .anyMatch(r -> r.getApiGroups().contains("rollgate.dev")
                                && r.getResources().contains("apideployments")
                                && r.getVerbs().contains(verb));
    }

    /** {@code kubectl auth can-i <verb> apideployments.rollgate.dev[/subresource] -n ns}, asked by the client's own identity. */
    private static boolean canI(KubernetesClient client, String ns, String verb, String subresource) {
        return client.authorization()
                .v1()
                .selfSubjectAccessReview()
                .create(new SelfSubjectAccessReviewBuilder()
                        .withNewSpec()
                        .withNewResourceAttributes()
                        .withNamespace(ns)
                        .withGroup("rollgate.dev")
                        .withResource("apideployments")
                        .withSubresource(subresource)
                        .withVerb(verb)
                        .endResourceAttributes()
                        .endSpec()
                        .build())
                .getStatus()
                .getAllowed();
    }

    private static MixedOperation<
                    GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            apiDeployments(KubernetesClient client) {
        return client.genericKubernetesResources(API_VERSION, KIND);
    }
}
