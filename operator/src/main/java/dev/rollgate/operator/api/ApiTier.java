package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** The api tier: serves HTTP on {@link #port}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApiTier {

    @Min(0)
    @Default("2")
    @JsonPropertyDescription("Number of api pods (>= 0). Default 2. Ignored when autoscaling is set.")
    public Integer replicas = 2;

    @Min(1)
    @Max(65535)
    @Default("8080")
    @JsonPropertyDescription("Container port of the HTTP server, also probed by the kubelet (1-65535). Default 8080.")
    public Integer port = 8080;

    @JsonPropertyDescription("CPU and memory requests and limits of the api container.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("Placement and shape of the api pods (labels, annotations, nodeSelector, tolerations, "
            + "affinity, topology spread, ServiceAccount, security contexts, volumes, priority, grace period, pull policy), "
            + "merged into the pod template Rollgate renders. Rollgate's container name, image, env, probes, ports and "
            + "app.kubernetes.io labels win.")
    public PodOverlay pod;

    @JsonPropertyDescription(
            "A HorizontalPodAutoscaler for the api Deployment, owned by Rollgate (HPA v2 shape: "
                    + "minReplicas, maxReplicas, metrics, behavior). While set, Rollgate never writes the api Deployment's replicas.")
    public Autoscaling autoscaling;

    @JsonPropertyDescription("The api tier's PodDisruptionBudget (<name>-api). Absent: maxUnavailable 1 when more than "
            + "one api pod runs (or autoscaling is set), none with one.")
    public Disruption disruption;
}
