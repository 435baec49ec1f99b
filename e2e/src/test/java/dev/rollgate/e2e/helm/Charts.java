package dev.rollgate.e2e.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.rollgate.testkit.SourceTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The repository's Helm charts, rendered with helm-java (Helm's own Go code, loaded as a native
 * library: there is no helm binary) and parsed into plain YAML trees.
 */
final class Charts {
    static final String OPERATOR = "rollgate-operator";
    static final String CLINIC = "clinic";

    private static final ObjectMapper YAML = new YAMLMapper();

    private Charts() {}

    static Path chart(String name) {
        return SourceTree.root().resolve("helm").resolve(name);
    }

    /**
     * {@code helm template <release> helm/<chart> -n <namespace> -f <values>} (without crds/, like the CLI).
     * Values go through a file, not --set, so that they keep their YAML types (an integer stays an
     * integer, a map stays a map) exactly as a user's values file would.
     */
    static Manifests template(String chart, String release, String namespace, Map<String, ?> values) {
        try {
            return Manifests.parse(render(chart, release, namespace, values));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #template}'s rendering as Helm prints it: the YAML documents, comments included. */
    static String render(String chart, String release, String namespace, Map<String, ?> values) {
        TemplateCommand cmd =
                new Helm(chart(chart)).template().withName(release).withNamespace(namespace);
        Path valuesFile = null;
        try {
            if (!values.isEmpty()) {
                valuesFile = Files.createTempFile("values-", ".yaml");
                YAML.writeValue(valuesFile.toFile(), values);
                cmd = cmd.withValuesFile(valuesFile);
            }
            return cmd.call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (valuesFile != null) {
                valuesFile.toFile().delete();
            }
        }
    }

    /**
     * The values with {@code postgres.password} set, for the clinic chart: without one it looks the
     * Secret up, and helm-java's template, unlike the helm CLI's, really asks the cluster of
     * KUBECONFIG (or localhost:8080) for it. A fixed password also keeps renders deterministic.
     */
    static Map<String, Object> withPostgresPassword(Map<String, ?> values, String password) {
        Map<String, Object> merged = new HashMap<>(values);
        @SuppressWarnings("unchecked")
        Map<String, Object> postgres = new HashMap<>((Map<String, Object>) merged.getOrDefault("postgres", Map.of()));
        postgres.put("password", password);
        merged.put("postgres", postgres);
        return merged;
    }

    /** The rendered objects of one release, one YAML tree each. */
    record Manifests(List<JsonNode> objects) {
        static Manifests parse(String rendered) throws IOException {
            List<JsonNode> objects = new ArrayList<>();
            try (var it =
                    YAML.readerFor(JsonNode.class).<JsonNode>readValues(new YAMLFactory().createParser(rendered))) {
                while (it.hasNext()) {
                    JsonNode node = it.next();
                    if (node != null && !node.isMissingNode() && !node.isNull() && node.size() > 0) {
                        objects.add(node);
                    }
                }
            }
            return new Manifests(List.copyOf(objects));
        }

        List<JsonNode> ofKind(String kind) {
            return objects.stream()
                    .filter(o -> kind.equals(o.path("kind").asText()))
                    .toList();
        }

        JsonNode get(String kind, String name) {
            return ofKind(kind).stream()
                    .filter(o -> name.equals(o.path("metadata").path("name").asText()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " among " + names()));
        }

        /** The only object of a kind. */
        JsonNode single(String kind) {
            List<JsonNode> all = ofKind(kind);
            if (all.size() != 1) {
                throw new AssertionError("expected one " + kind + ", got " + all.size() + " among " + names());
            }
            return all.get(0);
        }

        List<String> names() {
            return objects.stream()
                    .map(o -> o.path("kind").asText() + "/"
                            + o.path("metadata").path("name").asText())
                    .toList();
        }
    }
}
