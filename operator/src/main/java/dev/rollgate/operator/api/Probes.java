package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The three kubelet probes; readiness is what gates the rollout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Probes {

    @JsonPropertyDescription(
            "Readiness probe: a pod counts as available only once it passes. Default path /q/health/ready.")
    public Probe readiness = Probe.of("/q/health/ready", 2, 3);

    @JsonPropertyDescription("Liveness probe: must not depend on the database. Default path /q/health/live.")
    public Probe liveness = Probe.of("/q/health/live", 10, 3);

    @JsonPropertyDescription(
            "Startup probe: holds the other probes until the process is up. Default path /q/health/started.")
    public Probe startup = Probe.of("/q/health/started", 2, 60);
}
