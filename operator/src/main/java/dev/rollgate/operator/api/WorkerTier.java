package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** The worker tier: runs background jobs; it still serves the health endpoints on the api port. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkerTier {

    @Min(0)
    @Default("1")
    @JsonPropertyDescription("Number of worker pods (>= 0); 0 means no running worker. Default 1.")
    public Integer replicas = 1;

    @JsonPropertyDescription("CPU and memory requests and limits of the worker container.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("Placement and shape of the worker pods (labels, annotations, nodeSelector, tolerations, "
            + "affinity, topology spread, ServiceAccount, security contexts, volumes, priority, grace period, pull policy), "
            + "merged into the pod template Rollgate renders. Rollgate's container name, image, env, probes, ports and "
            + "app.kubernetes.io labels win.")
    public PodOverlay pod;
}
