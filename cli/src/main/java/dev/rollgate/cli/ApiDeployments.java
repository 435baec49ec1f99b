package dev.rollgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.function.Supplier;

/**
 * The ApiDeployments of one namespace, read and written as generic JSON resources: every write
 * is a JSON merge patch of just the fields it changes (an annotation, {@code spec.rollout.paused}),
 * never a full update, so it cannot undo a concurrent change of anything else. API server
 * errors come out as {@link CommandFailure}s in kubectl's words.
 */
public final class ApiDeployments {
    /** rollgate.dev/v1alpha1 ApiDeployment, named explicitly so that no discovery request is needed. */
    public static final ResourceDefinitionContext TYPE = new ResourceDefinitionContext.Builder()
            .withGroup("rollgate.dev")
            .withVersion("v1alpha1")
            .withKind("ApiDeployment")
            .withPlural("apideployments")
            .withNamespaced(true)
            .build();
    /** A new value retries a failed image that spec.image still names. */
    public static final String RETRY_ANNOTATION = "rollgate.dev/retry";
    /** Names the image whose rollout in flight the operator should fail and revert. */
    public static final String ABORT_ANNOTATION = "rollgate.dev/abort";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String namespace;

    public ApiDeployments(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public String namespace() {
        return namespace;
    }

    /** The ApiDeployment, or a NotFound {@link CommandFailure}. */
    public ApiDeploymentState get(String name) {
        GenericKubernetesResource found = call(name, () -> resource(name).get());
        if (found == null) {
            throw CommandFailure.notFound(name);
        }
        return state(found);
    }

    /** Sets {@value #RETRY_ANNOTATION} to {@code token} and removes {@value #ABORT_ANNOTATION}. */
    public void requestRetry(String name, String token) {
        ObjectNode patch = JSON.createObjectNode();
        ObjectNode annotations = patch.putObject("metadata").putObject("annotations");
        annotations.put(RETRY_ANNOTATION, token);
        annotations.putNull(ABORT_ANNOTATION); // null removes a key in a merge patch
        mergePatch(name, patch);
    }

    /** Sets {@value #ABORT_ANNOTATION} to the image whose rollout should stop. */
    public void requestAbort(String name, String token) {
        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("metadata").putObject("annotations").put(ABORT_ANNOTATION, token);
        mergePatch(name, patch);
    }

    /** Sets {@code spec.rollout.paused}. */
    public void setPaused(String name, boolean paused) {
        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("spec").putObject("rollout").put("paused", paused);
        mergePatch(name, patch);
    }

    /** Watches the one ApiDeployment from {@code resourceVersion}; the caller closes the watch. */
    public Watch watch(String name, String resourceVersion, Watcher<GenericKubernetesResource> watcher) {
        return call(
                name,
                () -> resource(name)
                        .watch(
                                new ListOptionsBuilder()
                                        .withResourceVersion(resourceVersion)
                                        .build(),
                                watcher));
    }

    public static ApiDeploymentState state(GenericKubernetesResource resource) {
        return new ApiDeploymentState(JSON.valueToTree(resource));
    }

    private void mergePatch(String name, ObjectNode patch) {
        call(name, () -> resource(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString()));
    }

    private Resource<GenericKubernetesResource> resource(String name) {
        return client.genericKubernetesResources(TYPE).inNamespace(namespace).withName(name);
    }

    private <T> T call(String name, Supplier<T> request) {
        try {
            return request.get();
        } catch (KubernetesClientException e) {
            throw CommandFailure.fromServer(e, name, client.getMasterUrl());
        }
    }
}
