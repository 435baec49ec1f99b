package dev.rollgate.e2e.helm;

import static dev.rollgate.e2e.helm.Charts.OPERATOR;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.e2e.helm.Charts.Manifests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The operator chart as its render tests see it: one release, and the parts of it they read. */
final class OperatorChart {
    static final String RELEASE = "rollgate";
    static final String NAMESPACE = "rollgate-system";
    static final String FULLNAME = "rollgate-rollgate-operator";

    private OperatorChart() {}

    static Manifests render(Map<String, ?> values) {
        return Charts.template(OPERATOR, RELEASE, NAMESPACE, values);
    }

    static JsonNode operatorContainer(Manifests m) {
        return m.single("Deployment")
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
    }

    static String httpGetPath(JsonNode container, String probe) {
        return container.path(probe).path("httpGet").path("path").asText();
    }

    static JsonNode env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (name.equals(e.path("name").asText())) {
                return e;
            }
        }
        throw new AssertionError("no env " + name + " in " + container.path("env"));
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
