package dev.rollgate.operator.runtime;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.rollout.RolloutEvent;
import dev.rollgate.operator.rollout.Times;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Writes core/v1 Events about an ApiDeployment, so that {@code kubectl describe apid} shows them.
 * An Event that cannot be written is logged, never allowed to fail a reconcile.
 */
public class EventRecorder {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    public static final String COMPONENT = "rollgate-operator";

    private final KubernetesClient client;
    private final Clock clock;
    private final String instance;

    public EventRecorder(KubernetesClient client, Clock clock, String instance) {
        this.client = client;
        this.clock = clock;
        this.instance = instance;
    }

    public void record(ApiDeployment cr, RolloutEvent e) {
        String now = Times.format(clock.instant());
        var meta = cr.getMetadata();
        var event = new EventBuilder()
                .withNewMetadata()
                .withName(meta.getName() + "."
                        + Long.toHexString(System.nanoTime()).toLowerCase(Locale.ROOT))
                .withNamespace(meta.getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(cr.getApiVersion())
                        .withKind(cr.getKind())
                        .withName(meta.getName())
                        .withNamespace(meta.getNamespace())
                        .withUid(meta.getUid())
                        .withResourceVersion(meta.getResourceVersion())
                        .build())
                .withType(e.warning() ? "Warning" : "Normal")
                .withReason(e.reason())
                .withMessage(e.message())
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent("rollgate.dev/operator")
                .withReportingInstance(instance)
                .build();
        try {
            client.v1()
                    .events()
                    .inNamespace(meta.getNamespace())
                    .resource(event)
                    .create();
        } catch (KubernetesClientException ex) {
            LOG.warnf(
                    "could not record event %s on %s/%s: %s",
                    e.reason(), meta.getNamespace(), meta.getName(), ex.getMessage());
        }
    }
}
