package dev.rollgate.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.rollout.Decision;
import dev.rollgate.operator.rollout.RolloutEvent;
import dev.rollgate.operator.runtime.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import jakarta.inject.Singleton;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Record: writes a decision's status (the memory of the rollout) when it differs from the one
 * recorded, then its Events. Written before anything is applied, so that the snapshot exists
 * before the change.
 */
@Singleton
public class StatusRecorder {
    private static final Logger LOG = Logger.getLogger(StatusRecorder.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventRecorder events;

    public StatusRecorder(EventRecorder events) {
        this.events = events;
    }

    /**
     * Returns the ApiDeployment as written, or null when there is nothing to go on with: it is gone
     * (404: deleted, or its namespace is), or someone wrote it first (409: their write wakes the
     * reconciler again with the fresh object). Neither is an error worth more than a debug line.
     */
    ApiDeployment record(Context<ApiDeployment> ctx, ApiDeployment cr, Decision d) {
        if (!sameJson(cr.getStatus(), d.status())) {
            ApiDeployment patch = new ApiDeployment();
            patch.setMetadata(cr.getMetadata());
            patch.setSpec(cr.getSpec());
            patch.setStatus(d.status());
            try {
                // resourceVersion is set: a concurrent writer makes this fail
                cr = ctx.resourceOperations().updatePrimaryStatus(patch);
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404 || e.getCode() == 409) {
                    LOG.debugf(
                            "%s/%s: status not written (%d), looking again on the next event",
                            cr.getMetadata().getNamespace(), cr.getMetadata().getName(), e.getCode());
                    return null;
                }
                throw e;
            }
        }
        for (RolloutEvent e : d.events()) {
            events.record(cr, e);
        }
        if (!d.events().isEmpty()) {
            LOG.infof(
                    "%s/%s: %s, phase %s, image %s, target %s",
                    cr.getMetadata().getNamespace(),
                    cr.getMetadata().getName(),
                    d.reason(),
                    d.status().phase,
                    d.status().image,
                    d.status().targetImage);
        }
        return cr;
    }

    private static boolean sameJson(Object a, Object b) {
        return Objects.equals(JSON.valueToTree(a), JSON.valueToTree(b));
    }
}
