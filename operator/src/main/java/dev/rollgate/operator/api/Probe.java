package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** One HTTP GET probe on the api port. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Probe {

    @Required
    @ValidationRule(value = "self.startsWith('/')", message = "probe path must start with '/', e.g. /q/health/ready")
    @JsonPropertyDescription("HTTP path probed with GET on the api port; must start with '/'.")
    public String path;

    @Min(1)
    @Max(3600)
    @JsonPropertyDescription("Seconds between probes (1-3600).")
    public Integer periodSeconds;

    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Consecutive failures before the probe counts as failed (1-1000).")
    public Integer failureThreshold;

    @Min(1)
    @Max(600)
    @JsonPropertyDescription("Seconds before one probe times out (1-600). Default 1.")
    public Integer timeoutSeconds;

    @Min(0)
    @Max(3600)
    @JsonPropertyDescription("Seconds after the container starts before the first probe (0-3600). Default 0.")
    public Integer initialDelaySeconds;

    public static Probe of(String path, int periodSeconds, int failureThreshold) {
        Probe p = new Probe();
        p.path = path;
        p.periodSeconds = periodSeconds;
        p.failureThreshold = failureThreshold;
        return p;
    }
}
