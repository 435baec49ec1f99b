package dev.rollgate.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An application's stateless tiers (an HTTP api and a background worker, one image) that
 * Rollgate rolls to {@code spec.image}, gates on readiness and reverts to the last known-good
 * image when the rollout fails.
 */
@Group(ApiDeployment.GROUP)
@Version(ApiDeployment.VERSION)
@ShortNames("apid")
@AdditionalPrinterColumn(name = "Desired", jsonPath = ".spec.image")
@AdditionalPrinterColumn(name = "Running", jsonPath = ".status.image")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.ready")
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Digest", jsonPath = ".status.lastKnownGood.digest", priority = 1)
public class ApiDeployment extends CustomResource<ApiDeploymentSpec, ApiDeploymentStatus> implements Namespaced {

    public static final String GROUP = "rollgate.dev";
    public static final String VERSION = "v1alpha1";

    /**
     * Bumping this annotation (any new value) retries a failed image that the spec still
     * asks for; without it a failed image is never rolled again by itself.
     */
    public static final String RETRY_ANNOTATION = "rollgate.dev/retry";
    /**
     * Names a backup (status.lastKnownGood.backup.id) to restore after a rollout held by a Breaking
     * migration: both tiers to 0, the restore Job, then both tiers back on the last known-good image.
     */
    public static final String RESTORE_ANNOTATION = "rollgate.dev/restore";
    /**
     * A new value (any token; {@code kubectl rollgate abort} writes the time) stops the rollout in
     * flight: it fails with reason Aborted and both tiers go back to the last known-good image.
     * Handled once per value: status.abortHandled remembers the last one.
     */
    public static final String ABORT_ANNOTATION = "rollgate.dev/abort";

    @Override
    protected ApiDeploymentStatus initStatus() {
        return new ApiDeploymentStatus();
    }
}
