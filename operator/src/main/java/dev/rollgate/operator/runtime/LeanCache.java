package dev.rollgate.operator.runtime;

import dev.rollgate.operator.api.ApiDeployment;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.Map;

/**
 * Informer caches without {@code metadata.managedFields}: server-side apply's bookkeeping is
 * often the largest part of an object (a Deployment's or a pod's, written by several managers),
 * and nothing Rollgate decides reads it. Stripping it on the way into the cache is what keeps
 * the operator's memory proportional to what it owns (docs/benchmarks.md).
 *
 * <p>Pods and StatefulSets, which Rollgate only reads, are cut down further to the fields the
 * decision uses: a pod keeps its metadata, its containers' names and images and its status (an
 * app's env, probes and volumes are not held once per replica); a StatefulSet, watched in every
 * namespace because dependencies are the user's and unlabelled, keeps its metadata, desired
 * replicas and status, so an unrelated StatefulSet costs the operator a few hundred bytes.
 *
 * <p>Safe for writes made from a cached object: an update whose {@code managedFields} is empty
 * leaves the server's record as it is (only an explicit single empty entry resets it).
 */
public final class LeanCache {
    private LeanCache() {}

    public static <R extends HasMetadata> ItemStore<R> store() {
        return new TransformingItemStore<>(LeanCache::strip);
    }

    static <R extends HasMetadata> R strip(R resource) {
        if (resource.getMetadata() != null) {
            resource.getMetadata().setManagedFields(null);
            Map<String, String> annotations = resource.getMetadata().getAnnotations();
            if (annotations != null) {
                annotations.remove(LAST_APPLIED);
            }
        }
        return resource;
    }

    /** kubectl's client-side apply record: a second copy of the object's spec. */
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    public static ItemStore<Pod> pods() {
        return new TransformingItemStore<>(LeanCache::pod);
    }

    static Pod pod(Pod pod) {
        strip(pod);
        PodSpec spec = pod.getSpec();
        if (spec != null) {
            PodSpec lean = new PodSpec();
            lean.setContainers(
                    spec.getContainers() == null
                            ? null
                            : spec.getContainers().stream()
                                    .map(c -> {
                                        Container named = new Container();
                                        named.setName(c.getName());
                                        named.setImage(c.getImage());
                                        return named;
                                    })
                                    .toList());
            pod.setSpec(lean);
        }
        return pod;
    }

    public static ItemStore<StatefulSet> statefulSets() {
        return new TransformingItemStore<>(LeanCache::statefulSet);
    }

    static StatefulSet statefulSet(StatefulSet sts) {
        strip(sts);
        if (sts.getSpec() != null) {
            StatefulSetSpec lean = new StatefulSetSpec();
            lean.setReplicas(sts.getSpec().getReplicas());
            sts.setSpec(lean);
        }
        return sts;
    }

    /** The ApiDeployments' own informer, named by class in the controller's annotation. */
    public static final class ApiDeployments extends TransformingItemStore<ApiDeployment> {
        public ApiDeployments() {
            super(LeanCache::strip);
        }
    }
}
