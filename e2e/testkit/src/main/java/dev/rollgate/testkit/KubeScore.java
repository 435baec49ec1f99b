package dev.rollgate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * kube-score ({@code github.com/zegl/kube-score}), the linter the Helm charts must pass: the real
 * tool, built from its Go module by {@code e2e/cluster/kube-score.sh}, given rendered manifests on
 * stdin. Only its default checks run, and {@code kube-score/ignore} annotations on an object skip
 * the checks they name for that object.
 */
public final class KubeScore {
    /** kube-score's grades ({@code scorecard.Grade}): CRITICAL 1, WARNING 5, then OK at 7 and 10. */
    private static final int CRITICAL = 1;

    private static final int WARNING = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path binary;

    private KubeScore(Path binary) {
        this.binary = binary;
    }

    /** Builds the tool when the cache does not have it yet (about 1.5 min the first time). */
    public static KubeScore build() {
        return new KubeScore(ClusterScripts.locate().kubeScore());
    }

    /**
     * What kube-score finds wrong with {@code manifests} (YAML documents) on a cluster of
     * {@code kubernetesVersion} ({@code v1.34}): one line per check graded WARNING or CRITICAL and not
     * skipped, per comment, e.g. {@code Deployment/web pod-probes CRITICAL: () Container is missing a
     * readinessProbe — A readinessProbe should be used ...}. Empty when it finds nothing.
     */
    public List<String> findings(String manifests, String kubernetesVersion) {
        JsonNode objects = score(manifests, kubernetesVersion);
        List<String> findings = new ArrayList<>();
        for (JsonNode o : objects) {
            String object = o.path("type_meta").path("kind").asText() + "/"
                    + o.path("object_meta").path("name").asText();
            for (JsonNode check : o.path("checks")) {
                int grade = check.path("grade").asInt();
                if (check.path("skipped").asBoolean() || grade > WARNING) {
                    continue;
                }
                String finding = object + " " + check.path("check").path("id").asText() + " "
                        + (grade <= CRITICAL ? "CRITICAL" : "WARNING");
                if (check.path("comments").isEmpty()) {
                    findings.add(finding);
                }
                for (JsonNode c : check.path("comments")) {
                    findings.add(finding + ": (" + c.path("path").asText() + ") "
                            + c.path("summary").asText() + " — "
                            + c.path("description").asText());
                }
            }
        }
        return findings;
    }

    /** {@code kube-score score --output-format json -}: its JSON verdict, one element per object. */
    private JsonNode score(String manifests, String kubernetesVersion) {
        try {
            Process p = new ProcessBuilder(
                            binary.toString(),
                            "score",
                            "--output-format",
                            "json",
                            "--kubernetes-version",
                            kubernetesVersion,
                            "-")
                    .redirectErrorStream(true)
                    .start();
            try (var in = p.getOutputStream()) {
                in.write(manifests.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            // exit code 1 means "something is CRITICAL": the JSON still says what
            int exit = p.waitFor();
            if (exit == 0 && out.equals("null")) {
                return JSON.createArrayNode(); // nothing it scores, e.g. only Secrets and custom resources
            }
            if ((exit != 0 && exit != 1) || !out.startsWith("[")) {
                throw new IllegalStateException("kube-score exited with " + exit + " and no verdict: " + out);
            }
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
