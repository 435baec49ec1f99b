package dev.rollgate.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.api.ApiDeploymentSpec;
import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.testkit.ApiDeploymentView;
import dev.rollgate.testkit.Await;
import dev.rollgate.testkit.FailureArtifacts;
import dev.rollgate.testkit.Kubectl;
import dev.rollgate.testkit.LocalKubernetes;
import dev.rollgate.testkit.OperatorProcess;
import dev.rollgate.testkit.SaveArtifactsOnFailure;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One test's world: its own namespace, its ApiDeployment, and the waits a test needs, read like
 * a script. Images follow the KWOK rules of e2e/cluster: a tag ending in -crashloop, -unready or
 * -badpull fails that way; any other becomes Ready after a short delay.
 *
 * <p>Closed inside a test method of {@link SaveArtifactsOnFailure}, its namespace outlives the
 * method until the test has been judged, so that a failure leaves its artifacts.
 */
final class Scenario implements AutoCloseable, SaveArtifactsOnFailure.Subject {
    static final String NAME = "clinic";
    final KubernetesClient client;
    final String namespace;
    /**
     * The operator reconciling this namespace now (a test may replace it), whose log is saved on
     * failure; it supplies null if there is none.
     */
    private final Supplier<OperatorProcess> operator;

    Scenario(KubernetesClient client, String prefix) {
        this(client, prefix, () -> null);
    }

    Scenario(KubernetesClient client, String prefix, Supplier<OperatorProcess> operator) {
        this.client = client;
        this.operator = operator;
        this.namespace = (prefix + "-"
                        + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30), 36))
                .toLowerCase(Locale.ROOT);
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .endMetadata()
                        .build())
                .create();
    }

    static String image(String tag) {
        return "registry.example.com/clinic:" + tag;
    }

    /** Creates this scenario's ApiDeployment ({@link #apiDeployment}). */
    ApiDeployment create(String image, Consumer<ApiDeploymentSpec> tweak) {
        return client.resource(apiDeployment(namespace, NAME, image, tweak)).create();
    }

    /** An ApiDeployment with test-friendly timing: no soak unless asked, a short deadline. */
    static ApiDeployment apiDeployment(String namespace, String name, String image, Consumer<ApiDeploymentSpec> tweak) {
        ApiDeployment cr = new ApiDeployment();
        cr.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        ApiDeploymentSpec spec = new ApiDeploymentSpec();
        spec.image = image;
        spec.rollout.minReadySeconds = 0;
        spec.rollout.timeoutSeconds = 120;
        tweak.accept(spec);
        cr.setSpec(spec);
        return cr;
    }

    /** The Events about this scenario's ApiDeployment. */
    List<Event> events() {
        return client.v1()
                .events()
                .inNamespace(namespace)
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withKind("ApiDeployment")
                        .withName(NAME)
                        .build())
                .list()
                .getItems();
    }

    /** The Events about this scenario's ApiDeployment with the given reason. */
    List<Event> events(String reason) {
        return events().stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    Resource<ApiDeployment> cr() {
        return client.resources(ApiDeployment.class).inNamespace(namespace).withName(NAME);
    }

    ApiDeploymentStatus status() {
        ApiDeployment cr = cr().get();
        return cr == null ? null : cr.getStatus();
    }

    /** As {@code kubectl patch --type merge}: no resourceVersion, so the operator's status writes never conflict. */
    void setImage(String image) {
        cr().patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"image\":\"" + image + "\"}}");
    }

    /** As {@code kubectl annotate --overwrite}. */
    void annotate(String key, String value) {
        cr().patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + value + "\"}}}");
    }

    /**
     * Polls rather than using an informer-backed wait: conditions may read other objects, and
     * blocking calls must not run on the client's event threads.
     */
    ApiDeploymentStatus await(String what, Duration timeout, Predicate<ApiDeploymentStatus> condition) {
        return awaitShowingStatus(
                what, timeout, () -> Optional.ofNullable(status()).filter(condition));
    }

    private ApiDeploymentStatus awaitShowingStatus(
            String what, Duration timeout, Supplier<Optional<ApiDeploymentStatus>> probe) {
        try {
            return Await.until(timeout, what, probe);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; status now: " + Json.write(status()), e);
        }
    }

    ApiDeploymentStatus awaitPhase(Phase phase, Duration timeout) {
        return await("phase " + phase, timeout, s -> s.phase == phase);
    }

    /**
     * Whether {@code cr} is Available on {@code image} with nothing in flight: the one definition
     * of a finished rollout both suites use ({@link ApiDeploymentView#isSettled}).
     */
    static boolean isSettledOn(ApiDeployment cr, String image) {
        return cr != null
                && ApiDeploymentView.isSettled(
                        Serialization.jsonMapper().valueToTree(cr), Phase.Available.name(), image);
    }

    /** Available on {@code image} and settled ({@link #isSettledOn}). */
    ApiDeploymentStatus awaitAvailableOn(String image, Duration timeout) {
        return awaitAvailableOn(image, timeout, st -> true);
    }

    /** Settled on {@code image} ({@link #isSettledOn}) and, then, {@code also} holds. */
    ApiDeploymentStatus awaitAvailableOn(String image, Duration timeout, Predicate<ApiDeploymentStatus> also) {
        return awaitShowingStatus(
                "Available on " + image,
                timeout,
                () -> Optional.ofNullable(cr().get())
                        .filter(cr -> isSettledOn(cr, image) && also.test(cr.getStatus()))
                        .map(ApiDeployment::getStatus));
    }

    /** Settled on {@code image} ({@link #isSettledOn}), showing {@code seeing} every status on the way. */
    ApiDeploymentStatus awaitAvailableOnWatching(String image, Duration timeout, Consumer<ApiDeploymentStatus> seeing) {
        return awaitShowingStatus(
                "Available on " + image,
                timeout,
                () -> Optional.ofNullable(cr().get())
                        .filter(cr -> {
                            if (cr.getStatus() != null) {
                                seeing.accept(cr.getStatus());
                            }
                            return isSettledOn(cr, image);
                        })
                        .map(ApiDeployment::getStatus));
    }

    /**
     * Waits for an Event of {@code reason} about this scenario's ApiDeployment: the operator writes
     * status first and records its Events after, so an Event may trail the status it explains.
     */
    List<Event> awaitEvents(String reason, Duration timeout) {
        return Await.until(
                timeout, "an Event " + reason, () -> Optional.of(events(reason)).filter(l -> !l.isEmpty()));
    }

    Deployment deployment(String tier) {
        return client.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(NAME + "-" + tier)
                .get();
    }

    String tierImage(String tier) {
        Deployment d = deployment(tier);
        return d == null
                ? null
                : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    void assertBothTiersOn(String image) {
        assertThat(tierImage("api")).as("api tier image").isEqualTo(image);
        assertThat(tierImage("worker")).as("worker tier image").isEqualTo(image);
    }

    /** Into a folder of its own, as a test may use several scenarios. */
    @Override
    public void saveArtifacts(Path dir) throws IOException {
        Path mine = dir.resolve(namespace);
        FailureArtifacts.saveOperatorLog(operator.get(), mine);
        FailureArtifacts.saveAppNamespace(Kubectl.admin(LocalKubernetes.get()), namespace, mine);
    }

    @Override
    public void close() {
        if (!SaveArtifactsOnFailure.deferTearDown(this)) {
            tearDown();
        }
    }

    @Override
    public void tearDown() {
        deleteNamespace();
    }

    /** Deletes the namespace now, as a user would: for a test whose "when" is the deletion. */
    void deleteNamespace() {
        client.namespaces().withName(namespace).delete();
    }
}
