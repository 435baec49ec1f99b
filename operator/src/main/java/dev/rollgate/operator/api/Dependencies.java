package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Stateful tiers the application needs. Read, never written. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Dependencies {

    @Size(max = 16)
    @ValidationRule(
            value = "self.all(n, n.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'))",
            message =
                    "dependencies.statefulSets must hold StatefulSet names: lowercase DNS labels of at most 63 characters, e.g. clinic-postgres")
    @JsonPropertyDescription(
            "Names of StatefulSets in the same namespace. While one of them is not ready, a rollout "
                    + "holds (phase WaitingForDependencies) and is not judged: a database outage must not make a good image look bad.")
    public List<String> statefulSets = new ArrayList<>();
}
