package dev.rollgate.operator.reconciler;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.image.PullSecrets;
import dev.rollgate.operator.image.RegistryClient;
import dev.rollgate.operator.image.RegistryCredentials.Credential;
import dev.rollgate.operator.image.Resolution;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * The decider's window on registries (spec.imageResolution: Registry): the digest an image's tag
 * names now, asked with the ApiDeployment's pull secrets. The decider reaches it through the
 * {@link dev.rollgate.operator.image.ImageResolver} in its input, when it wants a digest.
 */
@Singleton
public class RegistryDigests {
    private final KubernetesClient client;
    private final RegistryClient registry;

    public RegistryDigests(KubernetesClient client, RegistryClient registry) {
        this.client = client;
        this.registry = registry;
    }

    /**
     * Asks the image's registry for its digest with the credentials of spec.imagePullSecrets,
     * read by name when asked (never listed or watched: the chart grants at most {@code get}). A
     * Secret that cannot be read is not fatal by itself, as it is not for the kubelet: the
     * registry may not need it; when the registry then refuses, the Secret is the news.
     */
    Resolution resolve(ApiDeployment cr, String image) {
        String ns = cr.getMetadata().getNamespace();
        List<Credential> credentials = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (var ref : cr.getSpec().imagePullSecrets) {
            String name = ref.getName();
            try {
                Secret secret = client.secrets().inNamespace(ns).withName(name).get();
                if (secret == null) {
                    unreadable.add("Secret " + ns + "/" + name + " does not exist");
                    continue;
                }
                credentials.addAll(PullSecrets.credentials(secret));
            } catch (KubernetesClientException e) {
                unreadable.add(
                        e.getCode() == 403
                                ? "the operator may not read Secret " + ns + "/" + name
                                        + " (forbidden): install the chart with "
                                        + "imageResolution.pullSecrets.enabled=true to let it read pull secrets"
                                : "reading Secret " + ns + "/" + name + " failed: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                unreadable.add("Secret " + ns + "/" + name + " is not a docker config: " + e.getMessage());
            }
        }
        Resolution answer = registry.resolve(image, credentials);
        if (answer instanceof Resolution.Unresolved u
                && !unreadable.isEmpty()
                && Resolution.REGISTRY_UNAUTHORIZED.equals(u.reason())) {
            return new Resolution.Unresolved(
                    Resolution.PULL_SECRET_UNREADABLE,
                    String.join("; ", unreadable) + " (the registry said: " + u.message() + ")");
        }
        return answer;
    }
}
